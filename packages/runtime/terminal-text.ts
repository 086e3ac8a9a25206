/**
 * Text from elsewhere (events on the bus, which anyone with the Redis URL can write) made safe to
 * print on a terminal: no escape sequence can move the cursor, rewrite the title, set the
 * clipboard (OSC 52), make a link (OSC 8) or hide what follows. Line breaks and tabs become spaces,
 * so one record stays one line.
 */

// ESC and its sequences: CSI (ESC [ … final), OSC/DCS/SOS/PM/APC strings up to BEL or ST, two- and three-byte escapes.
const ESCAPE_SEQUENCES = /\x1b(?:\[[0-?]*[ -/]*[@-~]|[\]PX^_][^\x07\x1b]*(?:\x07|\x1b\\)?|[ -/]*[0-~])?/g;
// The same in their 8-bit C1 forms: CSI (0x9b), and OSC/DCS/SOS/PM/APC strings up to BEL or ST (0x9c).
const C1_SEQUENCES = /\x9b[0-?]*[ -/]*[@-~]|[\x9d\x90\x98\x9e\x9f][^\x07\x9c]*[\x07\x9c]?/g;
const SPACING = /[\t\n\r\v\f]/g;
const CONTROLS = /[\x00-\x1f\x7f-\x9f]/g;

export function stripTerminalEscapes(text: string): string {
  return text.replace(ESCAPE_SEQUENCES, '').replace(C1_SEQUENCES, '').replace(SPACING, ' ').replace(CONTROLS, '');
}

/** The same for several lines: each line stripped, the line breaks kept. */
export function printableLines(text: string): string {
  return text.split('\n').map(stripTerminalEscapes).join('\n');
}
