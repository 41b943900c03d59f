import { Box, Text } from 'ink';
import type { Split } from '../../core/dataset/types.js';
import type { Theme } from '../components/theme.js';
import { formatCount, formatPercent } from '../format.js';
import type { VerifyResult } from '../services.js';
import type { TaskState } from '../state.js';
import type { RenderStyle } from '../../core/render/image-preview.js';
import { PredictionStrip } from './TrainScreen.js';

export interface VerifyScreenProps {
  readonly verify: TaskState<VerifyResult>;
  readonly test?: Split;
  readonly columns: number;
  readonly rows: number;
  readonly theme: Theme;
  readonly imageStyle: RenderStyle;
}

const sci = (x: number) => (x === 0 ? '0' : x.toExponential(2));

export function VerifyScreen({ verify, test, columns, rows, theme, imageStyle }: VerifyScreenProps) {
  const r = verify.result;
  return (
    <Box flexDirection="column">
      {verify.status === 'working' ? (
        <Text color={theme.warn}>verifying: a fresh onnxruntime session on every test image…</Text>
      ) : null}
      {verify.status === 'error' ? (
        <Text color={theme.bad}>✗ {verify.error} (enter tries again · esc back)</Text>
      ) : null}
      {r ? (
        <>
          <Text>
            Verdict{' '}
            <Text bold inverse color={r.verdict === 'PASS' ? theme.good : theme.bad}>
              {` ${r.verdict} `}
            </Text>{' '}
            <Text color={theme.muted}>(|Δ| ≤ 1e-5 + 1e-3·|ref| and 100% argmax agreement)</Text>
          </Text>
          <Text wrap="truncate">
            {formatCount(r.images)} test images · max |Δ| {sci(r.maxAbsDiff)} · argmax agreement{' '}
            {formatPercent(r.argmaxAgreement, 2)}
          </Text>
          <Text wrap="truncate">
            accuracy: in-memory {formatPercent(r.referenceAccuracy, 2)} · ONNX {formatPercent(r.onnxAccuracy, 2)}
          </Text>
          {r.checks.map((c) => (
            <Text key={c.name} wrap="truncate">
              {c.passed ? <Text color={theme.good}>✓</Text> : <Text color={theme.bad}>✗</Text>} {c.name}
              {c.detail ? <Text color={theme.muted}> {c.detail}</Text> : null}
            </Text>
          ))}
          {r.reportPath ? (
            <Text color={theme.muted} wrap="truncate">
              report: {r.reportPath}
            </Text>
          ) : null}
          {test && r.predictions.length > 0 && rows >= 22 ? (
            <PredictionStrip
              width={columns}
              imageStyle={imageStyle}
              size={rows >= 40 ? 28 : 14}
              items={r.predictions}
              test={test}
              theme={theme}
            />
          ) : null}
          <Text color={theme.good}>done · enter or q quits</Text>
        </>
      ) : null}
    </Box>
  );
}
