/** The engine sends images as base64 PNG; the page shows them as data URLs. */
export const pngUrl = (base64: string) => `data:image/png;base64,${base64}`;
