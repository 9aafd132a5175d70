/**
 * Keeps an overlay node in place against DOM tampering (R-C8): put back when removed or moved out
 * of its parent, its attributes restored when changed (style, class, hidden, data-testid...), and
 * checked again once a second in case an observer was outrun (several changes in one task).
 */
export interface GuardedNode {
  /** Re-read the wanted attributes (e.g. a new tile image) and apply them now. */
  refresh: () => void;
  stop: () => void;
}

export function guardNode(
  parent: HTMLElement,
  node: HTMLElement,
  attributes: () => Record<string, string>,
): GuardedNode {
  let wanted = attributes();

  let stopped = false;
  const restoreAttributes = () => {
    if (stopped) return;
    for (const name of node.getAttributeNames()) if (!(name in wanted)) node.removeAttribute(name);
    for (const [name, value] of Object.entries(wanted))
      if (node.getAttribute(name) !== value) node.setAttribute(name, value);
  };
  const restorePlace = () => {
    if (stopped) return;
    if (node.parentNode !== parent) parent.appendChild(node);
  };

  restoreAttributes();
  restorePlace();

  // The observers' own writes trigger them again; the comparisons above make that a no-op.
  const nodeObserver = new MutationObserver(restoreAttributes);
  nodeObserver.observe(node, { attributes: true });
  const parentObserver = new MutationObserver(restorePlace);
  parentObserver.observe(parent, { childList: true });

  const timer = window.setInterval(() => {
    restorePlace();
    restoreAttributes();
  }, 1000);

  return {
    refresh: () => {
      wanted = attributes();
      restoreAttributes();
    },
    stop: () => {
      stopped = true;
      window.clearInterval(timer);
      nodeObserver.disconnect();
      parentObserver.disconnect();
      node.remove();
    },
  };
}
