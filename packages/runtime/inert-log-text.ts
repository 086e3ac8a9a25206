/**
 * Log text the runner cannot take for a workflow command. The runner reads any stdout line that
 * starts with `::` (after spaces) or holds `##[` as a command (add-mask, error, stop-commands…);
 * @actions/core escapes annotations and other commands' data, but `info` writes the text as it is,
 * and it carries words the suite does not choose (report tool names, a release's log lines). A zero
 * width space breaks the marker without changing what a reader sees.
 */
export function inertLogText(message: string): string {
  return message.replace(/^(\s*):(?=:)/gm, '$1:\u200b').replace(/##\[/g, '##\u200b[');
}
