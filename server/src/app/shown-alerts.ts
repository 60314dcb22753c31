// Which alerts the editor was already shown, by alert id (stable per CloudTrail event and change):
// the same change can arrive twice — from the team broker's stream after a reconnect, or from this
// editor's own live read and the broker both — and a person should see it once. Remembers the most
// recent ids only, so a long session does not grow without bound.
export class ShownAlerts {
  private readonly ids = new Set<string>();

  constructor(private readonly capacity = 2_000) {}

  /** True the first time `id` is seen (show it); false for a repeat. */
  first(id: string): boolean {
    if (this.ids.has(id)) return false;
    this.ids.add(id);
    // A Set iterates in insertion order: the oldest id goes first.
    if (this.ids.size > this.capacity) this.ids.delete(this.ids.values().next().value as string);
    return true;
  }
}
