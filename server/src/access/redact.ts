// Removes secrets from text before it is stored, logged or exported.
// Patterns cover what leaks in practice: AWS key ids, secret keys, session tokens, presigned URLs,
// bearer tokens and password options, and any value after `=` shaped like a generated secret. Exact known secrets (the credentials the broker issued) are
// removed as well, whatever they look like.

const MARK = '[REDACTED]';

const patterns: Array<[RegExp, string]> = [
  // Presigned URLs and any query string carrying a signature or credential.
  [/(https?:\/\/[^\s'"]*?[?&])[^\s'"]*(X-Amz-(Signature|Credential|Security-Token)|Signature=|AWSAccessKeyId=)[^\s'"]*/gi, `$1${MARK}`],
  // `--password value`, `--password=value`, `--secret-access-key x`, `--token x`, `-p value` is too ambiguous to touch.
  [/(--?(?:[a-z-]*password|[a-z-]*secret[a-z-]*|[a-z-]*token|api-key|apikey)(?:=|\s+))("[^"]*"|'[^']*'|[^\s]+)/gi, `$1${MARK}`],
  // NAME=value environment assignments and config lines for secret-looking names.
  [/\b([A-Z0-9_]*(?:PASSWORD|SECRET|TOKEN|PASSWD|API_KEY)[A-Z0-9_]*\s*[=:]\s*)("[^"]*"|'[^']*'|[^\s]+)/gi, `$1${MARK}`],
  // Authorization headers.
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/g, `$1 ${MARK}`],
  // postgres://user:password@host
  [/(\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:)[^\s@/]+@/gi, `$1${MARK}@`],
  // AWS access key ids (long-term AKIA, temporary ASIA, and the other documented prefixes).
  [/\b(AKIA|ASIA|AIDA|AROA|ABIA|ACCA)[A-Z0-9]{16}\b/g, MARK],
  // Session tokens: long base64 runs.
  [/[A-Za-z0-9+/=]{100,}/g, MARK],
  // Secret access keys: exactly 40 base64 characters standing alone.
  [/(?<![A-Za-z0-9+/=])[A-Za-z0-9+/]{40}(?![A-Za-z0-9+/=])/g, MARK],
];

/** `NAME=value`, `--flag=value`, `k=v` inside longer text: the value, bare or quoted. */
const ASSIGNED_VALUE = /=("[^"\s]*"|'[^'\s]*'|[^\s"',;&|)]+)/g;

/**
 * A value shaped like a generated secret, whatever its name says: a long run of the base64/base64url
 * alphabet mixing letters and digits in both cases, a long hex string, or a JWT. Resource ids
 * (sg-0a1b…, lower case), words, paths and ARNs do not have that shape, so they stay readable.
 */
export function looksLikeSecretValue(value: string): boolean {
  if (/^eyJ[\w-]{8,}\.[\w-]{8,}\.[\w-]*$/.test(value)) return true;
  if (/^[0-9a-fA-F]{32,}$/.test(value)) return /[0-9]/.test(value) && /[a-fA-F]/.test(value);
  if (!/^[A-Za-z0-9+/_-]{32,}={0,2}$/.test(value)) return false;
  // A path such as /home/me/ProjectFiles2026/Archive is not a key.
  if (/^~?\//.test(value) && (value.match(/\//g) ?? []).length >= 2) return false;
  return /[a-z]/.test(value) && /[A-Z]/.test(value) && /[0-9]/.test(value);
}

function redactAssignedValues(text: string): string {
  return text.replace(ASSIGNED_VALUE, (whole: string, raw: string) => {
    const quote = raw[0] === '"' || raw[0] === "'" ? raw[0] : '';
    const value = quote ? raw.slice(1, -1) : raw;
    return looksLikeSecretValue(value) ? `=${quote}${MARK}${quote}` : whole;
  });
}

export function redact(text: string, knownSecrets: Iterable<string> = []): string {
  let out = text;
  for (const secret of knownSecrets) {
    if (secret.length >= 8) out = out.split(secret).join(MARK);
  }
  for (const [pattern, replacement] of patterns) out = out.replace(pattern, replacement);
  return redactAssignedValues(out);
}

/** Redacts every string inside a JSON-like value. */
export function redactValue<T>(value: T, knownSecrets: Iterable<string> = []): T {
  const secrets = [...knownSecrets];
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return redact(v, secrets);
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(value) as T;
}
