/**
 * A Svelte action for a panel beside drop targets (the sample gallery in Walks and Arithmetic):
 * sets `--fill-height` on the node to the height left between its top and the window's bottom
 * when its scroll container is at the top, so a panel capped at it scrolls inside itself and the
 * page never has to scroll to bring a sample and a target into view together.
 */
const BOTTOM_MARGIN = 16;
/** Below this the panel would be a sliver: let the page scroll instead. */
const MIN_HEIGHT = 320;

export function fillHeight(node: HTMLElement): { destroy(): void } {
  const update = () => {
    const scroller = node.closest('main');
    // Where the node sits when the page is at the top: its parent's top in the scroll container's
    // content (the node itself may be sticky, pinned elsewhere while the page is scrolled).
    const top = (node.parentElement ?? node).getBoundingClientRect().top + (scroller?.scrollTop ?? 0);
    const height = Math.max(MIN_HEIGHT, Math.floor(window.innerHeight - top - BOTTOM_MARGIN));
    node.style.setProperty('--fill-height', `${height}px`);
  };
  // A hidden tab measures 0: it is measured again when shown (its size changes) and on resizes.
  const observer = new ResizeObserver(update);
  observer.observe(node);
  window.addEventListener('resize', update);
  update();
  return {
    destroy() {
      observer.disconnect();
      window.removeEventListener('resize', update);
    },
  };
}
