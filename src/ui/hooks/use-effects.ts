import { useEffect, useRef } from 'react';
import type { Action } from '../reducer.js';
import type { Effect } from '../state.js';

export type EffectHandlers = { readonly [K in Effect['kind']]: (effect: Extract<Effect, { kind: K }>) => void };

/** Runs each queued effect once, in order, then tells the reducer they are taken. */
export function useEffects(effects: readonly Effect[], dispatch: (a: Action) => void, handlers: EffectHandlers): void {
  const last = useRef(0);
  const handlersRef = useRef(handlers);
  handlersRef.current = handlers;
  useEffect(() => {
    const fresh = effects.filter((e) => e.id > last.current);
    if (fresh.length === 0) return;
    last.current = fresh[fresh.length - 1].id;
    for (const e of fresh) (handlersRef.current[e.kind] as (e: Effect) => void)(e);
    dispatch({ type: 'effectsDone', upTo: last.current });
  }, [effects, dispatch]);
}
