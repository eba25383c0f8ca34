/** Shared by the inspect commands (filters, features, guided, forget). */
import type { ProjectSummary } from '../../shared/types';
import { note, type Session } from '../session';

/** Opens the project and warns when its networks are untrained (no checkpoint yet). */
export async function openForInspection(session: Session, dir: string): Promise<ProjectSummary> {
  const summary = await session.call('openProject', { dir });
  if (summary.checkpoints.length === 0) note('Warning: this project has no checkpoint yet; showing the untrained networks');
  return summary;
}
