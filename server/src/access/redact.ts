// Removes secrets from text before it is stored, logged or exported.
// Patterns cover what leaks in practice: AWS key ids, secret keys, session tokens, presigned URLs,
// bearer tokens and password options. Exact known secrets (the credentials the broker issued) are
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

export function redact(text: string, knownSecrets: Iterable<string> = []): string {
  let out = text;
  for (const secret of knownSecrets) {
    if (secret.length >= 8) out = out.split(secret).join(MARK);
  }
  for (const [pattern, replacement] of patterns) out = out.replace(pattern, replacement);
  return out;
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
