import { inputActions, type WizardAction } from '../../setup/wizard-state.js';
import { commandFor, type InkKey } from '../keybindings.js';

/** A key (or a pasted chunk) in the wizard: the actions it means, in order, or leaving without saving. */
export function wizardKey(input: string, key: InkKey): 'cancel' | WizardAction[] {
  switch (commandFor(input, key, 'setup')) {
    case 'wizard-cancel':
      return 'cancel';
    case 'wizard-back':
      return [{ type: 'back' }];
    case 'wizard-next':
      return [{ type: 'enter' }];
    case 'field-next':
      return [{ type: 'field', delta: 1 }];
    case 'field-previous':
      return [{ type: 'field', delta: -1 }];
    case 'choice-next':
      return [{ type: 'cycle', delta: 1 }];
    case 'choice-previous':
      return [{ type: 'cycle', delta: -1 }];
    case 'field-clear':
      return [{ type: 'clear' }];
    default:
      if (commandFor(input, key, 'setup', 'line') === 'line-erase') return [{ type: 'backspace' }];
      return key.ctrl || key.meta ? [] : inputActions(input);
  }
}

/** A key on the report of a broken configuration: start from the backup (if there is one) or the defaults, or quit. */
export function configErrorKey(input: string, key: InkKey, hasBackup: boolean): 'backup' | 'defaults' | 'quit' | null {
  const command = commandFor(input, key, 'config-error');
  if (command === 'from-backup') return hasBackup ? 'backup' : null;
  if (command === 'from-defaults') return 'defaults';
  return command === 'quit' ? 'quit' : null;
}
