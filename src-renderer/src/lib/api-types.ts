/** The renderer's single door to the shared contract: types only, so no zod ends up in the bundle. */
export type { ApiEventName, ApiEvents, ApiInput, ApiMethod, ApiOutput, AppCommand, GanvasBridge } from '$shared/contract';
export type * from '$shared/types';
