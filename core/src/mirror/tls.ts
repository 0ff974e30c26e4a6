import { X509Certificate } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import selfsigned from 'selfsigned';

export interface LocalCertificate {
  cert: string;
  key: string;
  certFile: string;
  /** The system's CA bundle plus this certificate: what SSL_CERT_FILE should point at. */
  bundleFile: string;
}

const SYSTEM_BUNDLES = ['/etc/ssl/certs/ca-certificates.crt', '/etc/pki/tls/certs/ca-bundle.crt', '/etc/ssl/cert.pem'];

/**
 * A certificate for localhost, 127.0.0.1 and ::1, kept in `dir` and reused
 * until a month before it expires. Terraform only talks HTTPS to network
 * mirrors; pointing SSL_CERT_FILE at the bundle makes it trust this one
 * certificate without losing the public CAs.
 */
export async function localCertificate(dir: string): Promise<LocalCertificate> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const certFile = join(dir, 'localhost.crt');
  const keyFile = join(dir, 'localhost.key');
  const bundleFile = join(dir, 'ca-bundle.crt');
  if (existsSync(certFile) && existsSync(keyFile) && existsSync(bundleFile)) {
    const [cert, key] = await Promise.all([readFile(certFile, 'utf8'), readFile(keyFile, 'utf8')]);
    if (Date.parse(new X509Certificate(cert).validTo) - Date.now() > 30 * 86400_000) return { cert, key, certFile, bundleFile };
  }
  const notAfterDate = new Date(Date.now() + 825 * 86400_000);
  const generated = await selfsigned.generate([{ name: 'commonName', value: 'Shoreline registry mirror (localhost)' }], {
    keyType: 'ec',
    curve: 'P-256',
    notAfterDate,
    extensions: [
      { name: 'basicConstraints', cA: true },
      { name: 'keyUsage', digitalSignature: true, keyCertSign: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
          { type: 7, ip: '::1' },
        ],
      },
    ],
  });
  const system = SYSTEM_BUNDLES.find((path) => existsSync(path));
  const bundle = `${system ? await readFile(system, 'utf8') : ''}\n${generated.cert}`;
  await writeAtomically(keyFile, generated.private, 0o600);
  await writeAtomically(certFile, generated.cert, 0o644);
  await writeAtomically(bundleFile, bundle, 0o644);
  return { cert: generated.cert, key: generated.private, certFile, bundleFile };
}

async function writeAtomically(path: string, text: string, mode: number): Promise<void> {
  const temp = `${path}.${process.pid}.tmp`;
  await writeFile(temp, text, { mode });
  await rename(temp, path);
}
