/** Buttons in rendered markup say what they do with `data-action` and on what with `data-id`. */

/** Routes clicks on `button[data-action][data-id]` inside `container` to the handler its action names. */
export function onActions(container: HTMLElement, handlers: Record<string, (id: string) => void>): void {
  container.addEventListener('click', (event) => {
    const button = (event.target as HTMLElement).closest<HTMLButtonElement>('button[data-action]');
    const { action, id } = button?.dataset ?? {};
    const handler = action === undefined ? undefined : handlers[action];
    if (id !== undefined && handler) handler(id);
  });
}
