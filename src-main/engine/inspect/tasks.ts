/**
 * The inspect views' work in a compute host (paper Sec. 6): each task uses the project's
 * networks at its newest checkpoint (project.ganAt, cached) and returns PNG tile grids and numbers.
 */
import type { inspectContract } from '../../shared/contract/inspect';
import type { TasksOf } from '../handler-types';
import { featureMaps, topActivating } from './features';
import { networkFilters } from './filters';
import { fitForget, renderForget } from './forget';
import { guidedBackprop } from './guided';
import { netOfLayer } from './layers';

export const inspectTasks: TasksOf<typeof inspectContract> = {
  inspectFilters: async (project, { layer, ...opts }) => {
    const gan = project.ganAt();
    const net = netOfLayer(layer);
    const filters = await networkFilters(net === 'G' ? gan.G : gan.D, net, layer, project.config.model.channels, opts);
    return { step: gan.step, ...filters };
  },
  inspectFeatures: async (project, { source }, ctx) => {
    const gan = project.ganAt();
    return featureMaps(project, gan, source, ctx.drawer(project, gan));
  },
  inspectTopActivating: async (project, opts, ctx) => {
    const gan = project.ganAt();
    return topActivating(project, gan, opts, ctx.drawer(project, gan));
  },
  inspectGuided: async (project, opts) => guidedBackprop(project, project.ganAt(), opts),
  forgetFit: async (project, opts) => {
    const gan = project.ganAt();
    return fitForget(gan, project.config.model, gan.step, opts);
  },
  forgetRender: async (project, opts) => {
    const gan = project.ganAt();
    return renderForget(gan, project.config.model, gan.step, opts);
  },
};
