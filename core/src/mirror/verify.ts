import { createHash } from 'node:crypto';
import * as openpgp from 'openpgp';
import yauzl from 'yauzl';

/** An artifact or checksum file that failed its checksum or signature: never cached, answered with 502. */
export class VerificationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VerificationError';
  }
}

/** Parses a SHA256SUMS file ("<hex>  <filename>" per line) into filename → hex digest. */
export function parseShasums(text: string): Map<string, string> {
  const sums = new Map<string, string>();
  for (const line of text.split('\n')) {
    const match = /^([0-9a-f]{64}) [ *]?(\S+)\s*$/.exec(line.trim());
    if (match) sums.set(match[2]!, match[1]!);
  }
  return sums;
}

/**
 * Checks the detached OpenPGP signature of a SHA256SUMS file against the
 * provider's published signing keys. Returns the id of the key that signed
 * it; throws when none of the keys made a valid signature.
 */
export async function verifyShasumsSignature(shasums: Buffer, signature: Buffer, armoredKeys: string[]): Promise<string> {
  if (armoredKeys.length === 0) throw new Error('the registry published no signing key for this provider');
  const keys = (await Promise.all(armoredKeys.map((armored) => openpgp.readKey({ armoredKey: armored }).catch(() => undefined)))).filter((key) => key !== undefined);
  if (keys.length === 0) throw new Error("none of the provider's signing keys could be read");
  const message = await openpgp.createMessage({ binary: new Uint8Array(shasums) });
  const parsed = await readSignature(signature);
  const result = await openpgp.verify({ message, signature: parsed, verificationKeys: keys, expectSigned: false });
  for (const entry of result.signatures) {
    try {
      await entry.verified;
      return entry.keyID.toHex();
    } catch {
      // try the next signature
    }
  }
  throw new Error("the SHA256SUMS signature does not match any of the provider's signing keys");
}

async function readSignature(signature: Buffer): Promise<openpgp.Signature> {
  const text = signature.toString('latin1');
  if (text.includes('-----BEGIN PGP SIGNATURE-----')) return openpgp.readSignature({ armoredSignature: text });
  return openpgp.readSignature({ binarySignature: new Uint8Array(signature) });
}

/**
 * Terraform's `h1:` package hash of a provider zip (Go's dirhash "Hash1"):
 * the SHA-256 of the sorted lines "<sha256 of file>  <name>\n", base64.
 * Directory entries are skipped, as an unpacked folder has no such files.
 */
export async function packageHashV1(zipPath: string): Promise<string> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) => yauzl.open(zipPath, { lazyEntries: true, autoClose: true }, (error, file) => (error ? reject(error) : resolve(file))));
  const lines: string[] = [];
  await new Promise<void>((resolve, reject) => {
    zip.on('error', reject);
    zip.on('end', () => resolve());
    zip.on('entry', (entry: yauzl.Entry) => {
      if (entry.fileName.endsWith('/')) return zip.readEntry();
      if (entry.fileName.includes('\n')) return reject(new Error(`zip entry name contains a newline: ${JSON.stringify(entry.fileName)}`));
      zip.openReadStream(entry, (error, stream) => {
        if (error) return reject(error);
        const hash = createHash('sha256');
        stream.on('data', (chunk: Buffer) => hash.update(chunk));
        stream.on('error', reject);
        stream.on('end', () => {
          lines.push(`${hash.digest('hex')}  ${entry.fileName}\n`);
          zip.readEntry();
        });
      });
    });
    zip.readEntry();
  });
  lines.sort((a, b) => (a.slice(66) < b.slice(66) ? -1 : a.slice(66) > b.slice(66) ? 1 : 0));
  return `h1:${createHash('sha256').update(lines.join('')).digest('base64')}`;
}
