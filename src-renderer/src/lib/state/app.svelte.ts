import type { AppCommand, GanvasBridge, ProjectSummary, RecentProject } from '../api-types';
import { ConnectionState } from './connection.svelte';
import { ImportModelForm } from './import-model.svelte';
import { NewProjectForm } from './new-project.svelte';
import { reportFailure } from './notify';
import { ProjectSession } from './project/session.svelte';
import { Toasts } from './toasts.svelte';

export type View =
  | { name: 'start' }
  | { name: 'new'; form: NewProjectForm }
  | { name: 'import'; form: ImportModelForm }
  | { name: 'project'; session: ProjectSession };

/** Top-level state: which view is shown, the recent projects, and the toasts. */
export class AppState {
  view = $state.raw<View>({ name: 'start' });
  recent = $state.raw<RecentProject[]>([]);
  readonly toasts = new Toasts();
  /** Local engine or a `ganvas serve` (the main process holds the connection). */
  readonly connection: ConnectionState;

  constructor(readonly api: GanvasBridge) {
    api.on('app.command', (command) => void this.#run(command));
    // Repairs can happen while a project opens, before its session listens: the app says them.
    api.on('project.notice', (notice) => this.toasts.warn(notice.message));
    this.connection = new ConnectionState(api, {
      switched: () => {
        this.showStart();
        void this.refreshRecent();
      },
      // The run went on while we were away: open the project again to read its status, metrics and grids.
      reconnected: () => {
        const view = this.view;
        if (view.name === 'project') void this.attempt(() => this.openProject(view.session.dir));
        else void this.refreshRecent();
      },
    });
  }

  /** Runs an API call; a rejection becomes a readable error toast and resolves to undefined. */
  async attempt<T>(call: () => Promise<T>): Promise<T | undefined> {
    try {
      return await call();
    } catch (error) {
      reportFailure(this.toasts, error);
      return undefined;
    }
  }

  async refreshRecent(): Promise<void> {
    this.recent = (await this.attempt(() => this.api.recentProjects({}))) ?? this.recent;
  }

  /** Opens a project; throws (with a readable message) when it cannot be opened. */
  async openProject(dir: string): Promise<void> {
    this.showSession(await this.api.openProject({ dir }));
  }

  showSession(summary: ProjectSummary): void {
    this.#closeView();
    const session = new ProjectSession(this.api, summary, this.toasts);
    this.view = { name: 'project', session };
    void session.load();
  }

  showNewProject(): void {
    this.#closeView();
    const form = new NewProjectForm(this.api, this.toasts, () => this.connection.status.mode === 'remote');
    this.view = { name: 'new', form };
    void form.loadChoices();
  }

  /** "Import a model…": a generator trained in PyTorch or TF.js as a new project. */
  showImportModel(): void {
    this.#closeView();
    this.view = { name: 'import', form: new ImportModelForm(this.api) };
  }

  /** The start screen refreshes the recent projects itself when it mounts. */
  showStart(): void {
    this.#closeView();
    this.view = { name: 'start' };
  }

  #closeView(): void {
    if (this.view.name === 'project') this.view.session.dispose();
    if (this.view.name === 'new' || this.view.name === 'import') this.view.form.dispose();
  }

  async #run(command: AppCommand): Promise<void> {
    switch (command.command) {
      case 'new-project':
        return this.showNewProject();
      case 'import-model':
        return this.showImportModel();
      case 'show-start':
        return this.showStart();
      case 'open-project':
        await this.attempt(() => this.openProject(command.dir));
        return;
      case 'connect-engine':
        return this.connection.open();
      case 'export-grid':
        if (this.view.name === 'project') void this.view.session.grids.exportShown(this.view.session.summary.config.name);
        else this.toasts.info('Open a project to export its sample grid.');
        return;
    }
  }
}
