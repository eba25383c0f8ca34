/**
 * The inspect views' work in the inference worker: each task loads the project's GAN at its
 * newest checkpoint (cached by `loadInferenceGan`) and returns PNG tile grids and numbers.
 */
import type { ApiInput } from '../../shared/contract';
import type { FeatureMaps, FilterImage, ForgetFit, ForgetRender, GuidedBackprop, TopActivating } from '../../shared/inspect-types';
import { loadInferenceGan } from '../worker/inference';
import type { Task } from '../worker/tasks';
import { featureMaps, topActivating } from './features';
import { networkFilters } from './filters';
import { fitForget, renderForget } from './forget';
import { guidedBackprop } from './guided';
import { netOfLayer } from './layers';

type WithDir<M extends 'inspectFilters' | 'inspectFeatures' | 'inspectTopActivating' | 'inspectGuided' | 'forgetFit' | 'forgetRender'> =
  ApiInput<M> & { dir: string };

export const inspectTasks = {
  inspectFilters: (async ({ dir, layer, ...opts }) => {
    const m = loadInferenceGan(dir);
    const net = netOfLayer(layer);
    const filters = await networkFilters(net === 'G' ? m.gan.G : m.gan.D, net, layer, m.config.model.channels, opts);
    return { step: m.step, ...filters };
  }) as Task<WithDir<'inspectFilters'>, FilterImage>,
  inspectFeatures: (async ({ dir, source }) => {
    const m = loadInferenceGan(dir);
    return featureMaps(m.gan, m.config.model, m.dir, m.step, source);
  }) as Task<WithDir<'inspectFeatures'>, FeatureMaps>,
  inspectTopActivating: (async ({ dir, ...opts }) => {
    const m = loadInferenceGan(dir);
    return topActivating(m.gan, m.config.model, m.dir, m.step, opts);
  }) as Task<WithDir<'inspectTopActivating'>, TopActivating>,
  inspectGuided: (async ({ dir, ...opts }) => {
    const m = loadInferenceGan(dir);
    return guidedBackprop(m.gan, m.config, m.dir, m.step, opts);
  }) as Task<WithDir<'inspectGuided'>, GuidedBackprop>,
  forgetFit: (async ({ dir, ...opts }) => {
    const m = loadInferenceGan(dir);
    return fitForget(m.gan, m.config.model, m.step, opts);
  }) as Task<WithDir<'forgetFit'>, ForgetFit>,
  forgetRender: (async ({ dir, ...opts }) => {
    const m = loadInferenceGan(dir);
    return renderForget(m.gan, m.config.model, m.step, opts);
  }) as Task<WithDir<'forgetRender'>, ForgetRender>,
};
