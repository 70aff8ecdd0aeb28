/** The first bytes of a poison message, readable by a human in `vigil deadletter ls`. */

/** Control characters other than tab and newlines, or U+FFFD (bytes that are not UTF-8). */
function hasBinary(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c === 0xfffd) return true;
  }
  return false;
}

/** UTF-8 text when the prefix is printable, otherwise `base64:` + base64, so binary (protobuf) survives JSON. */
export function payloadPreview(value: Buffer | null, maxBytes: number): string {
  if (value === null) return '';
  const prefix = value.subarray(0, maxBytes);
  const cut = value.length > maxBytes ? '…' : '';
  let text = prefix.toString('utf8');
  // A cut may split the last character, which decodes as U+FFFD: drop that tail rather than call the text binary.
  if (cut) text = text.replace(/\ufffd+$/, '');
  const printable = !hasBinary(text);
  return printable ? `${text}${cut}` : `base64:${prefix.toString('base64')}${cut}`;
}
