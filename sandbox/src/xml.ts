// Minimal XML writer and reader for the AWS wire formats the sandbox speaks. AWS bodies are small,
// namespace-light documents without DTDs, so a strict little parser is enough and keeps the sandbox
// free of dependencies.

/** An element: name, text (for leaves) and children, in document order. */
export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

/** What the writer accepts: a leaf value, a nested element list, or nothing (element omitted). */
export type XmlValue = string | number | boolean | XmlNode[] | null | undefined;
export interface XmlNode {
  name: string;
  value: XmlValue;
  attributes?: Record<string, string>;
}

export function node(name: string, value: XmlValue, attributes?: Record<string, string>): XmlNode {
  return attributes ? { name, value, attributes } : { name, value };
}

/** Several elements with the same name (EC2 `<item>`, IAM `<member>`). */
export function items<T>(name: string, list: readonly T[], each: (item: T) => XmlValue): XmlNode[] {
  return list.map((item) => node(name, each(item)));
}

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] as string);
}

function writeNode(n: XmlNode, out: string[]): void {
  if (n.value === null || n.value === undefined) return;
  const attrs = n.attributes ? Object.entries(n.attributes).map(([k, v]) => ` ${k}="${escapeXml(v)}"`).join('') : '';
  if (Array.isArray(n.value)) {
    out.push(`<${n.name}${attrs}>`);
    for (const child of n.value) writeNode(child, out);
    out.push(`</${n.name}>`);
  } else {
    out.push(`<${n.name}${attrs}>${escapeXml(String(n.value))}</${n.name}>`);
  }
}

export function toXml(root: XmlNode): string {
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>\n'];
  writeNode(root, out);
  return out.join('');
}

export class XmlParseError extends Error {}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-z]+);/g, (whole, body: string) => {
    if (body.startsWith('#x')) return String.fromCodePoint(parseInt(body.slice(2), 16));
    if (body.startsWith('#')) return String.fromCodePoint(parseInt(body.slice(1), 10));
    const named = ENTITIES[body];
    if (named === undefined) throw new XmlParseError(`unknown entity ${whole}`);
    return named;
  });
}

/** Parses one document. Namespace prefixes are kept in names; callers compare local names. */
export function parseXml(source: string): XmlElement {
  let pos = 0;
  const skipMisc = (): void => {
    for (;;) {
      while (pos < source.length && /\s/.test(source[pos] as string)) pos++;
      if (source.startsWith('<?', pos)) {
        const end = source.indexOf('?>', pos);
        if (end < 0) throw new XmlParseError('unterminated processing instruction');
        pos = end + 2;
      } else if (source.startsWith('<!--', pos)) {
        const end = source.indexOf('-->', pos);
        if (end < 0) throw new XmlParseError('unterminated comment');
        pos = end + 3;
      } else if (source.startsWith('<!DOCTYPE', pos)) {
        throw new XmlParseError('DOCTYPE is not allowed');
      } else return;
    }
  };
  const readName = (): string => {
    const m = /^[A-Za-z_][\w.:-]*/.exec(source.slice(pos, pos + 256));
    if (!m) throw new XmlParseError(`expected a name at offset ${pos}`);
    pos += m[0].length;
    return m[0];
  };
  const readElement = (): XmlElement => {
    if (source[pos] !== '<') throw new XmlParseError(`expected '<' at offset ${pos}`);
    pos++;
    const name = readName();
    const attributes: Record<string, string> = {};
    for (;;) {
      while (/\s/.test(source[pos] ?? '')) pos++;
      if (source.startsWith('/>', pos)) { pos += 2; return { name, attributes, children: [], text: '' }; }
      if (source[pos] === '>') { pos++; break; }
      if (pos >= source.length) throw new XmlParseError(`unterminated start tag <${name}>`);
      const attr = readName();
      while (/\s/.test(source[pos] ?? '')) pos++;
      if (source[pos] !== '=') throw new XmlParseError(`expected '=' after attribute ${attr}`);
      pos++;
      while (/\s/.test(source[pos] ?? '')) pos++;
      const quote = source[pos];
      if (quote !== '"' && quote !== "'") throw new XmlParseError(`expected a quoted value for attribute ${attr}`);
      const end = source.indexOf(quote, pos + 1);
      if (end < 0) throw new XmlParseError(`unterminated attribute ${attr}`);
      attributes[attr] = decodeEntities(source.slice(pos + 1, end));
      pos = end + 1;
    }
    const children: XmlElement[] = [];
    let text = '';
    for (;;) {
      if (pos >= source.length) throw new XmlParseError(`element <${name}> is not closed`);
      if (source.startsWith('</', pos)) {
        pos += 2;
        const closing = readName();
        if (closing !== name) throw new XmlParseError(`</${closing}> closes <${name}>`);
        while (/\s/.test(source[pos] ?? '')) pos++;
        if (source[pos] !== '>') throw new XmlParseError(`expected '>' after </${closing}`);
        pos++;
        return { name, attributes, children, text: children.length ? text.trim() : text };
      }
      if (source.startsWith('<![CDATA[', pos)) {
        const end = source.indexOf(']]>', pos);
        if (end < 0) throw new XmlParseError('unterminated CDATA section');
        text += source.slice(pos + 9, end);
        pos = end + 3;
      } else if (source.startsWith('<!--', pos)) {
        const end = source.indexOf('-->', pos);
        if (end < 0) throw new XmlParseError('unterminated comment');
        pos = end + 3;
      } else if (source[pos] === '<') {
        children.push(readElement());
      } else {
        const next = source.indexOf('<', pos);
        const end = next < 0 ? source.length : next;
        text += decodeEntities(source.slice(pos, end));
        pos = end;
      }
    }
  };
  skipMisc();
  const root = readElement();
  skipMisc();
  if (pos < source.length) throw new XmlParseError('content after the root element');
  return root;
}

export function localName(name: string): string {
  const i = name.indexOf(':');
  return i < 0 ? name : name.slice(i + 1);
}

export function child(el: XmlElement, name: string): XmlElement | undefined {
  return el.children.find((c) => localName(c.name) === name);
}

export function childrenNamed(el: XmlElement, name: string): XmlElement[] {
  return el.children.filter((c) => localName(c.name) === name);
}

export function childText(el: XmlElement, name: string): string | undefined {
  return child(el, name)?.text;
}
