/**
 * The Terraform CLI configuration that sends every provider install through
 * the mirror. No imports: the VS Code extension bundles it as it is.
 */
export function terraformCliConfig(mirrorUrl: string, options: { tokenRequired?: boolean } = {}): string {
  const host = new URL(mirrorUrl).host;
  return [
    'provider_installation {',
    '  network_mirror {',
    `    url = "${mirrorUrl.replace(/\/?$/, '/')}"`,
    '  }',
    '}',
    ...(options.tokenRequired ? ['', `credentials "${host}" {`, '  token = "<your mirror token>"', '}'] : []),
    '',
  ].join('\n');
}
