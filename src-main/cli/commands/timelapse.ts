/** `ganvas timelapse`: the saved fixed-noise grids in step order beside the loss curves so far, as GIF, MP4 or WebM. */
import path from 'node:path';
import { choiceOption, endProgress, num, required, str } from '../args';
import type { CliCommand } from '../command';
import { note } from '../session';
import { followExport } from './progress';

export const timelapseCommand: CliCommand = {
  name: 'timelapse',
  summary: 'the training history as an animation: each saved sample grid beside the loss curves up to its step (GIF, MP4, WebM)',
  usage: 'timelapse <dir> --out t.gif|t.mp4|t.webm [--fps 8] [--scale 1] [--chart-width PX] [--format gif|mp4|webm]',
  positionals: ['dir'],
  options: {
    out: { type: 'string' },
    fps: { type: 'string' },
    scale: { type: 'string' },
    'chart-width': { type: 'string' },
    format: { type: 'string' },
  },
  async run({ values: v, positionals }, session) {
    const out = path.resolve(required('out', str(v.out), 'the .gif, .mp4 or .webm to write'));
    const options = {
      out,
      fps: num('fps', v.fps) ?? 8,
      scale: num('scale', v.scale),
      chartWidth: num('chart-width', v['chart-width']),
      format: choiceOption('format', v.format, ['gif', 'mp4', 'webm'] as const),
    };
    const flags = { 'options.fps': 'fps', 'options.scale': 'scale', 'options.chartWidth': 'chart-width', 'options.out': 'out' };
    session.validate('exportTimelapse', { dir: positionals[0], options }, flags);
    const { id, off } = await followExport(session, 'Encoding');
    try {
      const r = await session.call('exportTimelapse', { dir: positionals[0], options, id }, flags);
      endProgress();
      note(
        `Wrote ${r.frames} frames (${r.width}x${r.height}, ${r.format}) to ${r.file} (${(r.bytes / 1024).toFixed(1)} KiB, ${r.seconds.toFixed(1)} s)`,
      );
    } finally {
      off();
    }
  },
};
