// The current step's screen, given the app state (screens only render; they never compute).
import type { Field } from '../fields.js';
import { modelLine } from '../model-line.js';
import type { AppState } from '../state.js';
import type { Theme } from '../components/theme.js';
import { DataScreen } from './DataScreen.js';
import { ExportScreen } from './ExportScreen.js';
import { HyperparametersScreen } from './HyperparametersScreen.js';
import { ModelScreen } from './ModelScreen.js';
import { SaveScreen } from './SaveScreen.js';
import { TrainScreen } from './TrainScreen.js';
import { VerifyScreen } from './VerifyScreen.js';

export interface StepScreenProps {
  readonly state: AppState;
  readonly fields: readonly Field[];
  readonly theme: Theme;
  readonly canTune: boolean;
}

export function StepScreen({ state, fields, theme, canTune }: StepScreenProps) {
  const test = state.data.dataset?.test;
  switch (state.step) {
    case 'data':
      return (
        <DataScreen
          data={state.data}
          columns={state.columns}
          rows={state.rows}
          theme={theme}
          imageStyle={state.imageStyle}
        />
      );
    case 'model':
      return (
        <ModelScreen
          model={state.model}
          editing={state.edit?.target.startsWith('model.') ? state.edit : undefined}
          rows={state.rows}
          columns={state.columns}
          theme={theme}
        />
      );
    case 'hyperparameters':
      return (
        <HyperparametersScreen
          hp={state.hp}
          fields={fields}
          edit={state.edit}
          columns={state.columns}
          rows={state.rows}
          theme={theme}
          canTune={canTune}
          trainSize={state.data.dataset?.train.count}
        />
      );
    case 'train':
      return (
        <TrainScreen
          train={state.train}
          model={modelLine(state.model, state.columns - 7)}
          optimizer={state.hp.form.hyperparameters.optimizer.kind}
          engine={state.hp.form.engine}
          batchSize={state.hp.form.hyperparameters.batchSize}
          test={test}
          columns={state.columns}
          rows={state.rows}
          theme={theme}
          imageStyle={state.imageStyle}
          charts={state.insight.trainCharts}
        />
      );
    case 'save':
      return (
        <SaveScreen save={state.save} edit={state.edit?.target === 'save.dir' ? state.edit : undefined} theme={theme} />
      );
    case 'export':
      return <ExportScreen exported={state.export} theme={theme} />;
    case 'verify':
      return (
        <VerifyScreen
          verify={state.verify}
          test={test}
          columns={state.columns}
          rows={state.rows}
          theme={theme}
          imageStyle={state.imageStyle}
        />
      );
  }
}
