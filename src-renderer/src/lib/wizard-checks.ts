/**
 * The New-project wizard's own checks, DOM-free (unit-tested in Node): typed paths that would
 * resolve against wherever the app was started, and a chosen image folder that does not match
 * the preset (colour images into a grey model, a size no preset of that size would need).
 */
import type { DataCheckReport, PresetInfo } from '$shared/types';

/** An absolute path on any desktop OS: /…, C:\… or C:/…, or a Windows share \\server\…. */
export function isAbsolutePath(p: string): boolean {
  return p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p) || p.startsWith('\\\\');
}

/** Why a typed path cannot be used as is, or null. Relative paths are refused, not guessed at. */
export function pathProblem(p: string): string | null {
  const path = p.trim();
  if (!path || isAbsolutePath(path)) return null;
  return `“${path}” is a relative path: type the full path (starting with / or a drive letter), or choose it with Browse…`;
}

export interface PresetAdvice {
  /** What would happen to the images with the chosen preset. */
  message: string;
  /** The preset that fits them, when there is one. */
  suggestion: PresetInfo | null;
}

const describe = (size: number, channels: 1 | 3) => `${size}×${size} ${channels === 3 ? 'colour' : 'greyscale'}`;

/**
 * Warns when the chosen preset would drop the folder's colour or resize its images to another
 * size that a preset trains at natively, and names the preset that fits (same colour, and the
 * images' size where a preset has it). Null when the preset fits.
 */
export function presetAdvice(report: DataCheckReport, presets: PresetInfo[], current: PresetInfo | undefined): PresetAdvice | null {
  if (!current || report.images === 0) return null;
  const channels: 1 | 3 = report.colour > report.grey ? 3 : 1;
  const side = report.shortSide;
  const sameColour = presets.filter((p) => p.model.channels === channels);
  const exact = side === undefined ? undefined : sameColour.find((p) => p.model.size === side);
  const dropsColour = channels === 3 && current.model.channels === 1;
  const resizes = exact !== undefined && current.model.size !== side;
  if (!dropsColour && !resizes) return null;
  const { size } = current.model;
  const effects = [
    ...(dropsColour ? ['lose their colour'] : []),
    ...(side !== undefined && side !== size ? [`be ${side > size ? 'downscaled' : 'upscaled'} from ${side} px to ${size} px`] : []),
  ];
  // Colour must be kept: the colour preset of the images' size, else the smallest that does not upscale them.
  const bySize = [...sameColour].sort((a, b) => a.model.size - b.model.size);
  const suggestion = exact ?? bySize.find((p) => side === undefined || p.model.size >= side) ?? bySize.at(-1) ?? null;
  const images = side === undefined ? `${channels === 3 ? 'colour' : 'greyscale'} images` : `${describe(side, channels)} images`;
  return {
    message: `These are mostly ${images}; ${current.label} trains ${describe(size, current.model.channels)}, so they would ${effects.join(' and ')}.`,
    suggestion: suggestion && suggestion.id !== current.id ? suggestion : null,
  };
}
