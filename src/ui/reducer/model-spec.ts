// Setting the Model step's spec: the model state is rebuilt (counts, a layer list's rows and its
// problem) and the list scrolled so that the selected layer stays on screen.
import type { ModelSpec } from '../../core/model/spec.js';
import { layerRowsFor, listWindow } from '../layer-list-layout.js';
import { modelState, type AppState, type ModelState } from '../state.js';

/** The first layer row on screen for this selection (the screen draws the same window). */
function scrolled(state: AppState, model: ModelState): ModelState {
  if (!model.report) return model;
  const w = listWindow(model.report.rows.length, model.selected, model.scroll ?? 0, layerRowsFor(state.rows));
  return w.start === model.scroll ? model : { ...model, scroll: w.start };
}

export function setSpec(state: AppState, spec: ModelSpec, selected = state.model.selected): AppState {
  const model = modelState(spec, selected, state.model.scroll ?? 0);
  return { ...state, model: scrolled(state, { ...model, custom: state.model.custom }) };
}

/** Another row selected (the list scrolls to it). */
export function select(state: AppState, selected: number): AppState {
  return { ...state, model: scrolled(state, { ...state.model, selected }) };
}
