const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * `text` as inert HTML, for element content and quoted attribute values alike: whatever user code
 * put in a message or a name (markup, a closing `</script>`, quotes) shows as text and runs nothing.
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}
