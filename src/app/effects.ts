import { join } from 'node:path';
import { agentConfigId, containerFor } from '../catalog/agent-configs.js';
import { openTextInPager } from '../logs/pager.js';
import { openJobShell } from '../monitor/job-shell.js';
import { writePlanFile } from '../plan/plan.js';
import { experimentDir } from '../submit/experiment-dir.js';
import { composerPlan, initialComposer } from './compose/composer.js';
import type { AppEffect } from './keys.js';
import { body, type Layout } from './layout.js';
import type { View } from './navigation.js';
import { reviewPlan } from './review/plan.js';
import type { AppServices } from './services.js';
import { errorMessage } from '../text/error-message.js';

/** `2026-11-29T03-14-07`: sorts by time, no character a shell or a file system minds. */
const stamp = (d: Date): string => d.toISOString().slice(0, 19).replace(/:/g, '-');

/** Opens the composer on the saved setup: the selection is kept unless the setup changed what can be chosen. */
export function openComposer({ store, loadPlanning }: Pick<AppServices, 'store' | 'loadPlanning'>): void {
  const ctx = loadPlanning();
  store.getState().setPlanning(ctx);
  const fresh = ctx
    ? initialComposer(
        ctx.vocabulary,
        ctx.config.containerName,
        Object.fromEntries(ctx.vocabulary.agentConfigs.map((c) => [agentConfigId(c), containerFor(ctx.config, c.agent, c.config)])),
        ctx.checkout.images.run,
      )
    : null;
  const current = store.getState().compose;
  const shape = (c: NonNullable<typeof current>) => JSON.stringify([c.options, c.defaultImage, c.images, c.runImages]);
  if (fresh && (!current || shape(current) !== shape(fresh))) store.getState().setCompose(fresh);
}

/**
 * Moves to a screen, with what opening it takes: the wizard is built from what is saved now (and
 * sinfo), the composer and the review read the saved setup, the results and a first preflight run.
 */
export function goTo(services: AppServices, target: View): void {
  const { store } = services;
  if (target === 'setup') {
    if (!services.requestSetup || store.getState().ui.busy) return;
    const from = store.getState().ui.view;
    store.getState().setBusy('reading the setup and asking sinfo...');
    void services
      .requestSetup()
      .then((request) => {
        // The user went elsewhere meanwhile: the wizard does not take over the keys they are typing there.
        if (store.getState().ui.view !== from) return;
        store.getState().setSetupRequest(request);
        store.getState().setView(request.configError ? 'config-error' : 'setup');
      })
      .catch((error: unknown) => store.getState().reportError(`the setup could not be read: ${errorMessage(error)}`))
      .finally(() => store.getState().setBusy(null));
    return;
  }
  if (target === 'results') return services.results.open();
  if (target === 'compose' || target === 'review') openComposer(services);
  if (target === 'review') services.submit.reset();
  const { preflight } = store.getState();
  if (target === 'preflight' && preflight.results.length === 0 && preflight.running.length === 0) services.preflight.runAll({ compute: true });
  store.getState().setView(target);
}

/** Runs what the keys asked for; `layout` sizes a shell opened in its pane. */
export function runEffects(services: AppServices, effects: readonly AppEffect[], layout: Layout): void {
  for (const effect of effects) runEffect(services, effect, layout);
}

function runEffect(services: AppServices, effect: AppEffect, layout: Layout): void {
  const { store } = services;
  const monitorSays = (text: string) => store.getState().updateMonitor(() => ({ message: { text, tone: 'error' } }));
  const jobOf = (id: string) => store.getState().monitor.jobs.find((j) => j.id === id);
  switch (effect.kind) {
    case 'exit':
      return services.exit();
    case 'go':
      return goTo(services, effect.view);
    case 'back':
      return store.getState().back();
    case 'refresh':
      return services.refresh();
    case 'preflight-rerun':
      return services.preflight.rerun(effect.id);
    case 'preflight-all':
      return services.preflight.runAll({ compute: true });
    case 'cancel-probe':
      return services.preflight.cancelProbe();
    case 'act': {
      const ids = new Set(effect.ids);
      return services.monitor[effect.action](store.getState().monitor.jobs.filter((j) => ids.has(j.id)));
    }
    case 'details': {
      const job = jobOf(effect.id);
      if (job) services.monitor.openDetails(job);
      return;
    }
    case 'shell-open': {
      const job = jobOf(effect.id);
      if (!job) return;
      const { width, height } = body(layout);
      // In a pane when node-pty loads; else the shell gets the whole terminal, and exit comes back.
      void services.shell
        .open(job, { cols: width, rows: Math.max(3, height - 3) })
        .catch((error: unknown) => `the shell pane failed to open (${errorMessage(error)})`)
        .then((problem) => {
          if (!problem) return;
          monitorSays(`the shell took the whole terminal (exit returned here): ${problem}`);
          services.suspend(async () => {
            const failed = await openJobShell(job);
            if (failed) monitorSays(failed);
          });
        });
      return;
    }
    case 'shell-write':
      return services.shell.write(effect.bytes);
    case 'shell-close':
      return services.shell.close();
    case 'log-pager':
      return services.suspend(async () => {
        const problem = await services.logs.pager(effect.path);
        if (problem) monitorSays(problem);
      });
    case 'poll-step':
      return services.polling.step(effect.direction);
    case 'poll-pause':
      return services.polling.togglePause();
    case 'save-plan': {
      const { compose, planning: ctx } = store.getState();
      if (!compose || !ctx) return;
      const file = join(experimentDir(ctx.config, ctx.config.experimentName), 'plans', `plan-${stamp(new Date())}.yaml`);
      const notice = (text: string, error: boolean) => store.getState().composeDispatch({ type: 'notice', notice: { text, error } });
      void writePlanFile(file, composerPlan(compose)).then(
        () => notice(`saved: ptb submit --plan ${file}`, false),
        (error: unknown) => notice(`not saved: ${errorMessage(error)}`, true),
      );
      return;
    }
    case 'submit': {
      const state = store.getState();
      const plan = reviewPlan(state);
      if (!state.planning || !plan?.prepared.ok) return;
      return services.submit.start(state.planning.config, plan.prepared.tasks, {
        dryRun: effect.dryRun,
        array: state.review.arrays,
        force: state.review.force,
      });
    }
    case 'text-pager':
      return services.suspend(async () => {
        const problem = await openTextInPager(effect.text);
        if (problem) store.getState().updateReview(() => ({ notice: problem }));
      });
  }
}
