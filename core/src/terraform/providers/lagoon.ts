import type { ProviderSchema, ResourceSchema } from '../schema.js';

/** The Lagoon Terraform provider (dpc-sdp/lagoon): API access and the project deploy key. */
export const lagoonProjectKeyData: ResourceSchema = {
  kind: 'data',
  type: 'lagoon_project_key',
  provider: 'lagoon',
  description: "Reads a Lagoon project's deploy key pair (the public key to add to the Git repository).",
  docs: 'https://registry.terraform.io/providers/dpc-sdp/lagoon/latest/docs',
  attributes: [
    { name: 'public_key', type: 'string', mode: 'computed', description: 'The public deploy key, in OpenSSH format.' },
    { name: 'private_key', type: 'string', mode: 'computed', sensitive: true, description: 'The private deploy key.' },
    { name: 'id', type: 'string', mode: 'computed', description: 'The data source ID.' },
  ],
};

export const lagoonProvider: ProviderSchema = {
  name: 'lagoon',
  source: 'dpc-sdp/lagoon',
  // Its provider.go declares one data source and no resources.
  complete: true,
  description: 'Reads Lagoon data through the Lagoon GraphQL API.',
  attributes: [
    { name: 'endpoint', type: 'string', mode: 'optional', description: 'The Lagoon GraphQL API URL, e.g. https://api.lagoon.example.com/graphql.' },
    { name: 'token', type: 'string', mode: 'optional', sensitive: true, description: 'A Lagoon API token. Pass it from a variable with sensitive = true, never as literal text.' },
  ],
  resources: [lagoonProjectKeyData],
};
