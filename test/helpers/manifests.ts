/** The smallest valid manifest, which tests vary one field at a time. */
export const MINIMAL_MANIFEST = `apiVersion: leash/v1
kind: AgentDeployment
metadata:
  name: tiny
  owner:
    team: platform
agent:
  purpose: docs
  autonomy: supervised
`
