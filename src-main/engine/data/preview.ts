/**
 * The wizard's crop preview: the first images of a folder cut and resized exactly as the import
 * will (decodeSquare), as PNG thumbnails, with the reason for any the import would skip.
 */
import path from 'node:path';
import sharp from 'sharp';
import type { FolderPreview } from '../../shared/types';
import { encodePng } from '../sampling/grid';
import { decodeSquare } from './decode';
import { scanImageFolder } from './scan';

export async function previewFolder(
  folder: string,
  opts: { size: number; channels: 1 | 3; crop?: number; count: number },
): Promise<FolderPreview> {
  const scan = await scanImageFolder(folder);
  const images = await Promise.all(
    scan.images.slice(0, opts.count).map(async (image) => {
      const meta = await sharp(image.path, { autoOrient: true })
        .metadata()
        .catch(() => null);
      const width = meta?.autoOrient?.width ?? meta?.width ?? 0;
      const height = meta?.autoOrient?.height ?? meta?.height ?? 0;
      const file = image.rel || path.basename(image.path);
      const decoded = await decodeSquare(image.path, opts.size, opts.channels, opts.crop);
      if (!decoded.ok) return { file, width, height, reason: decoded.reason };
      const png = await encodePng({ data: decoded.data, width: opts.size, height: opts.size, channels: opts.channels });
      return { file, width, height, png: png.toString('base64') };
    }),
  );
  return { total: scan.images.length, images };
}
