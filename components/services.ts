import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { AppServices } from '../src/app/services.js';
import type { AppState } from '../src/app/store.js';

export type { AppServices } from '../src/app/services.js';

export const ServicesContext = createContext<AppServices | null>(null);

export function useServices(): AppServices {
  const services = useContext(ServicesContext);
  if (!services) throw new Error('components must be rendered inside <ServicesContext.Provider>');
  return services;
}

/** Reads a slice of the app store; re-renders only when that slice changes. */
export function useAppState<T>(selector: (state: AppState) => T): T {
  return useStore(useServices().store, selector);
}
