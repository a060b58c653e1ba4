import type { Config } from '../config/schema.js';
import type { Draft } from './draft.js';
import type { PreparedSetup } from './prepare.js';
import type { SaveResult } from './save-setup.js';

/** What the CLI hands the TUI when setup may be needed. */
export interface SetupRequest {
  prepared: PreparedSetup;
  /** True when a valid configuration exists and the wizard edits it. */
  editing: boolean;
  configFile: string;
  /** The report of a broken configuration file, when that is why setup opens. */
  configError: string | null;
  /** A valid backup to start from, when the configuration is broken. */
  backupDraft: Draft | null;
  backupFile: string;
  save: (config: Config, keys: Record<string, string>) => SaveResult;
  onSaved: (config: Config) => void;
  /** `ptb setup`: leave ptb when the wizard ends. */
  exitWhenDone: boolean;
}
