import { Box, Text, useInput } from 'ink';
import { useEffect, useLayoutEffect, useReducer, useRef, useState } from 'react';
import { maskSecret } from '../../src/config/secrets.js';
import { SCRATCH_STRATEGIES, type Config } from '../../src/config/schema.js';
import { configFromDraft, type Draft } from '../../src/setup/draft.js';
import type { SaveResult } from '../../src/setup/save-setup.js';
import { authFileStatus, dotEnvToWrite, STEPS, stepProblems, type WizardContext } from '../../src/setup/wizard-model.js';
import { currentStep, initialWizardState, resolvedKeys, wizardReducer, type WizardAction } from '../../src/setup/wizard-state.js';
import { wizardKey } from '../../src/app/setup/keys.js';
import { fit } from '../../src/text/columns.js';
import { colour } from '../../src/app/theme.js';

export interface WizardProps {
  initialDraft: Draft;
  context: WizardContext;
  /** Shown in the title: a first setup, or editing the saved configuration. */
  editing: boolean;
  configFile: string;
  save: (config: Config, keys: Record<string, string>) => SaveResult;
  onDone: (outcome: 'saved' | 'cancelled') => void;
  width: number;
  /** Shown under the checkout: which upstream commit it is at. */
  checkoutNote?: string;
  /** False while the wizard is hidden (a terminal too small): it keeps what was typed and takes no keys. */
  active?: boolean;
}

const LABEL_WIDTH = 16;

/** The setup wizard: one step per screen, every field checked as it is typed. */
export function Wizard({ initialDraft, context, editing, configFile, save, onDone, width, checkoutNote, active = true }: WizardProps) {
  const [state, dispatch] = useReducer(
    (s: ReturnType<typeof initialWizardState>, a: WizardAction) => wizardReducer(s, a, context),
    initialDraft,
    initialWizardState,
  );
  const [saveError, setSaveError] = useState<string | null>(null);
  const step = currentStep(state);

  const trySave = () => {
    const built = configFromDraft(state.draft);
    if (!built.ok) {
      setSaveError(built.problems.map((p) => `${p.where}: ${p.message}`).join('; '));
      return;
    }
    const keys = Object.fromEntries(
      resolvedKeys(state, context)
        .filter((k) => k.source === 'typed' || k.source === 'environment')
        .map((k) => [k.name, k.value]),
    );
    const result = save(built.config, keys);
    if (result.ok) onDone('saved');
    else setSaveError(result.message);
  };
  // eslint-disable-next-line react-hooks/exhaustive-deps -- one save per enter on the review, with the state of that render
  useEffect(() => (state.saveRequests > 0 ? trySave() : undefined), [state.saveRequests]);

  // Ink stops the handler in a passive effect, which may run after keys typed just after the resize
  // that hid the wizard: the handler asks this, set in the commit itself.
  const shown = useRef(active);
  useLayoutEffect(() => {
    shown.current = active;
  }, [active]);
  useInput(
    (input, key) => {
      if (!shown.current) return;
      const actions = wizardKey(input, key);
      if (actions === 'cancel') return onDone('cancelled');
      for (const action of actions) dispatch(action);
    },
    { isActive: active },
  );

  const valueWidth = Math.max(10, width - LABEL_WIDTH - 4);
  const problems = new Map(stepProblems(step, state.draft, context).map((p) => [p.field, p.message]));
  const spec = step.fields[state.field];

  return (
    <Box flexDirection="column">
      <Text bold color={colour('text.accent')}>
        {`${editing ? 'Edit setup' : 'Setup'} - step ${state.step + 1}/${STEPS.length}: ${step.title}`}
      </Text>
      <Box flexDirection="column" marginTop={1}>
        {step.fields.map((f, i) => {
          const focused = i === state.field;
          const problem = problems.get(f.key);
          const shown = focused || state.showProblems ? problem : undefined;
          const value = f.choices ? `< ${state.draft[f.key] || '(none)'} >` : state.draft[f.key] + (focused ? '_' : '');
          return (
            <Box key={f.key} flexDirection="column">
              <Text>
                <Text color={focused ? colour('text.accent') : undefined}>{`${focused ? '>' : ' '} ${fit(f.label, LABEL_WIDTH)} `}</Text>
                <Text inverse={focused}>{fit(value, Math.min(valueWidth, Math.max(value.length, 1)))}</Text>
                {problem ? null : <Text color={colour('status.running')}> ok</Text>}
              </Text>
              {shown ? <Problem indent={LABEL_WIDTH + 3} text={shown} /> : null}
            </Box>
          );
        })}
        {step.id === 'checkout' && checkoutNote ? <Text color={colour('text.dim')}>{`  ${' '.repeat(LABEL_WIDTH + 1)}${checkoutNote}`}</Text> : null}
        {step.id === 'keys' ? <KeysStep state={state} context={context} /> : null}
        {step.id === 'review' ? <Review draft={state.draft} context={context} state={state} configFile={configFile} /> : null}
      </Box>
      <Box marginTop={1} flexDirection="column">
        {spec ? <Text color={colour('text.dim')}>{spec.help}</Text> : null}
        {spec?.key === 'scratch' ? (
          <Text color={colour('text.dim')}>{SCRATCH_STRATEGIES[state.draft.scratch as keyof typeof SCRATCH_STRATEGIES] ?? ''}</Text>
        ) : null}
        {saveError ? <Text color={colour('text.error')}>{`Not saved: ${saveError}`}</Text> : null}
        <Text color={colour('text.dim')}>
          {step.id === 'review'
            ? 'enter save | esc back | ctrl+c cancel (nothing is saved)'
            : `enter next${spec?.choices ? ' | left/right choose' : ''} | up/down field | esc back | ctrl+u clear | ctrl+c cancel`}
        </Text>
      </Box>
    </Box>
  );
}

function KeysStep({ state, context }: { state: ReturnType<typeof initialWizardState>; context: WizardContext }) {
  const keys = resolvedKeys(state, context);
  const authFiles = authFileStatus(state.draft);
  return (
    <Box flexDirection="column">
      <Text
        color={colour('text.dim')}
      >{`Needed by ${state.draft.agents} and the contamination judge. Type a key to replace it; it is stored only in a 0600 secrets file.`}</Text>
      {keys.map((k, i) => {
        const focused = i === state.field;
        const typed = state.typedKeys[k.name];
        const shown = typed ? '*'.repeat(Math.min(typed.length, 24)) : k.value ? maskSecret(k.value) : '';
        const source =
          k.source === 'missing'
            ? 'missing: type it, or export it before running ptb setup'
            : `from ${k.source === 'typed' ? 'what you typed' : `the ${k.source}`}`;
        const problem = k.problem && (focused || state.showProblems) ? `${k.source === 'environment' ? 'from the environment: ' : ''}${k.problem}` : null;
        return (
          <Box key={k.name} flexDirection="column">
            <Text wrap="truncate">
              <Text color={focused ? colour('text.accent') : undefined}>{`${focused ? '>' : ' '} ${fit(k.name, 20)} `}</Text>
              <Text inverse={focused}>{`${shown}${focused ? '_' : ''}`}</Text>
              {problem ? null : <Text color={k.source === 'missing' ? colour('text.warning') : colour('text.dim')}>{`  ${source}`}</Text>}
            </Text>
            {/* Under its row, whole: the reason is what the user needs to fix the paste. */}
            {problem ? <Problem indent={23} text={problem} /> : null}
          </Box>
        );
      })}
      {authFiles.map(({ file, present }) => {
        return (
          <Text key={file} color={present ? colour('status.running') : colour('text.warning')}>
            {`  ${file}: ${present ? 'present (not read)' : "missing: create it with the agent CLI's login, see the checkout's agents/ README"}`}
          </Text>
        );
      })}
    </Box>
  );
}

function Review({
  draft,
  context,
  state,
  configFile,
}: {
  draft: Draft;
  context: WizardContext;
  state: ReturnType<typeof initialWizardState>;
  configFile: string;
}) {
  const dotEnv = dotEnvToWrite(draft);
  const rows: [string, string][] = [
    ['checkout', draft.checkout],
    ['HF_HOME', draft.hfHome],
    ['results', draft.resultsDir],
    ['containers', `${draft.containersDir} (${draft.containerName}.sif, vllm_debug.sif)`],
    ['experiment', draft.experimentName || '(none)'],
    ['agents / hours', `${draft.agents} / ${draft.hours} h`],
    [
      'sbatch',
      [
        `-p ${draft.partition}`,
        `--gres=${draft.gres}`,
        draft.constraint && `--constraint=${draft.constraint}`,
        draft.account && `--account=${draft.account}`,
        draft.qos && `--qos=${draft.qos}`,
        `-c ${draft.cpusPerTask}`,
        `--mem=${draft.mem}`,
        `--time=${draft.time}`,
        draft.tmp && `--tmp=${draft.tmp}`,
        draft.mailUser.trim() && `--mail-type=END,FAIL --mail-user=${draft.mailUser.trim()}`,
      ]
        .filter(Boolean)
        .join(' '),
    ],
    ['scratch / HOME', `${draft.scratch} / ${draft.home}`],
    [
      'keys',
      resolvedKeys(state, context)
        .map((k) => `${k.name} ${k.source === 'missing' ? 'MISSING' : maskSecret(k.value)}`)
        .join(', '),
    ],
    ...(dotEnv ? ([['checkout .env', `${dotEnv} is written too: the setup's paths, no key`]] as [string, string][]) : []),
  ];
  const problems = STEPS.flatMap((s) => stepProblems(s, draft, context).map((p) => `${s.title}: ${p.field}: ${p.message}`));
  return (
    <Box flexDirection="column">
      {rows.map(([label, value]) => (
        <Text key={label}>{`  ${fit(label, LABEL_WIDTH)} ${value}`}</Text>
      ))}
      <Text>{`  saved to ${configFile}`}</Text>
      {problems.map((p) => (
        <Text key={p} color={colour('text.error')}>{`  ! ${p}`}</Text>
      ))}
    </Box>
  );
}

/** What is wrong with a field, under its value, wrapped within the value's column. */
function Problem({ indent, text }: { indent: number; text: string }) {
  return (
    <Box paddingLeft={indent}>
      <Text color={colour('text.error')}>{`! ${text}`}</Text>
    </Box>
  );
}
