import type { StateCreator } from 'zustand/vanilla';
import type { SetupRequest } from '../../setup/setup-request.js';

export interface SetupState {
  /** What the wizard (or the report of a broken configuration) is built from, once gathered. */
  setupRequest: SetupRequest | null;
  setSetupRequest: (request: SetupRequest | null) => void;
}

export const createSetupState: StateCreator<SetupState, [], [], SetupState> = (set) => ({
  setupRequest: null,
  setSetupRequest: (setupRequest) => set({ setupRequest }),
});
