import type { InputSpec, OutputSpec } from '../packages/runtime/action-definition.ts';

/** Inputs several actions share, described once. */
export const configInput: InputSpec = {
  description:
    'Path of the SIDHE DevOps configuration file, relative to the workspace; a path (or symlink) leading outside the workspace is refused, and so is a file over 256 kB. Inputs given to the action override it.',
  default: '.sidhe/devops.yaml',
};

export const appInput: InputSpec = {
  description: 'Name of the application; with `environment` it names the routed service, the containers and the lock.',
  required: true,
};

export const environmentInput: InputSpec = {
  description: 'Deployment environment, e.g. `staging` or `production`. Selects the per-environment settings of the configuration file.',
  required: true,
};

export const routerInput: InputSpec = {
  description: 'Reverse proxy in front of the service: `haproxy` (runtime API, no reload) or `nginx` (managed upstream file, validated, graceful reload).',
  required: true,
};

export const routerEndpointInput: InputSpec = {
  description:
    'How to reach the router: for `haproxy` the admin socket (`unix:///run/haproxy/admin.sock` or `tcp://host:port`); for `nginx` the managed upstream file.',
  required: true,
};

export const dockerHostInput: InputSpec = {
  description:
    "Docker engine to deploy to (`unix://`, `tcp://` or `ssh://`). Default: DOCKER_HOST, else the local engine. With `hosts`, the engine's socket on each host (default `unix:///var/run/docker.sock`).",
};

export const lockTimeoutInput: InputSpec = {
  description: 'How long to wait for another deploy or rollback of the same app and environment to finish before failing.',
  default: '10m',
};

export const portsInput: InputSpec = {
  description: 'Host ports of the blue and green containers, `blue,green`: the service listens on its PORT environment variable, on 127.0.0.1.',
  default: '8081,8082',
};

export const routerServiceInput: InputSpec = {
  description: 'HAProxy backend or nginx upstream that holds the `blue` and `green` slots. Default: `<app>-<environment>`.',
};

export const healthPathInput: InputSpec = {
  description: 'HTTP path probed on a release, on its own port, before it gets traffic.',
  default: '/health',
};

/** Remote Docker hosts over SSH (docs/remote-hosts.md): one connection per host per run. */
export const remoteHostInputs = {
  hosts: {
    description:
      "Remote Docker hosts to deploy to over SSH, `ssh://user@host[:port]`, one a line or comma-separated. Each host runs the release on its engine, behind its own router (`router-endpoint` is the router's path on the host) and is probed from itself. Default: the environment's `hosts` in the configuration, else this runner's engine.",
  },
  'ssh-key': {
    secret: 'value',
    description:
      "Private key for the hosts (pass it from a secret): written 0600 to the runner's temp dir for the run, then removed. Empty: the runner's ssh agent and default keys.",
  },
  'known-hosts': {
    description:
      'known_hosts lines of the hosts (`ssh-keyscan` from a network you trust). Required with hosts unless accept-new-host-keys is true; a host whose key does not match is refused, with the fingerprint it offered.',
  },
  'accept-new-host-keys': {
    description: 'Trust a host key seen for the first time (and print its fingerprint). Off: a host must be in known-hosts.',
    default: 'false',
  },
} satisfies Record<string, InputSpec>;

/** What a deploy to several hosts adds: waves, and the registry login for the hosts' pulls. */
export const fleetDeployInputs = {
  registry: {
    description:
      'With hosts: registry the hosts pull the image from with `username` and `password` (logged in on the runner for this run only; the credentials travel with each pull, nothing is stored on a host). Default: the registry of `image`.',
  },
  username: { description: 'With hosts: registry user name for pulls.' },
  password: { secret: 'value', description: 'With hosts: registry password or token for pulls; masked, given to `docker login` on stdin.' },
  'boot-limit': {
    description:
      'With several hosts, how many start the release at once: a number (`1`) or a percent (`25%`); each wave is proven healthy before the next starts. Default: all at once. Traffic switches host by host after every host is healthy.',
  },
} satisfies Record<string, InputSpec>;

/** What each remote host serves when a traffic action ends (actions/fleet-report.ts). */
export const hostsOutput: OutputSpec = {
  description:
    'With `hosts`: JSON of what each host serves when the action ends, `{"ssh://deploy@web1:22": {"release": "r…", "colour": "blue", "traffic": "blue 100% (…), green 0%"}}` (an `error` instead when the host could not be read). Empty without hosts.',
};

/** Where a release runs and how traffic reaches it: the inputs of every action that moves traffic. */
export const trafficInputs = {
  app: appInput,
  environment: environmentInput,
  router: routerInput,
  'router-endpoint': routerEndpointInput,
  'router-service': routerServiceInput,
  ports: portsInput,
  'health-path': healthPathInput,
  'docker-host': dockerHostInput,
  'lock-timeout': lockTimeoutInput,
  ...remoteHostInputs,
  ...fleetDeployInputs,
} satisfies Record<string, InputSpec>;

export type TrafficInputName = keyof typeof trafficInputs;

/** The service's environment, for the releases an action starts. */
export const serviceEnvInputs = {
  env: { secret: 'env-lines', description: 'Environment variables for the service, `NAME=value` one a line. Values are masked and never printed.' },
  'env-file': {
    description:
      'File of `NAME=value` lines for the service, relative to the workspace (not outside it, not over 256 kB). Values are masked and never printed.',
  },
} satisfies Record<string, InputSpec>;

/** Where the actions that report events send them (see actions/event-reporting.ts). */
export const eventsRedisUrlInput: InputSpec = {
  description:
    'Redis for the event bus, `redis://` or `rediss://` (TLS): every step is appended to the stream `sidhe:devops:events` and published on `sidhe:devops:<app>:<environment>`. A password in it is masked; pass it from a secret. Unreachable Redis only warns. Default: `devops_automator.events.redis_url` of the configuration file; no events without either.',
};

export const githubTokenInput: InputSpec = {
  secret: 'value',
  description:
    'Token for GitHub Deployments: deploys and rollbacks are recorded there (needs `permissions: deployments: write`), and rollback reads that history when the host has none. Empty: nothing is recorded, and the run says so.',
  default: '${{ github.token }}',
};

export const environmentUrlInput: InputSpec = {
  description: "The service's public address, e.g. `https://shop.example.com`: shown on the GitHub environment's page.",
};

/** Where the deploy and rollback actions record what they did: the event bus and GitHub Deployments. */
export const recordingInputs = {
  'events-redis-url': eventsRedisUrlInput,
  'github-token': githubTokenInput,
  'environment-url': environmentUrlInput,
} satisfies Record<string, InputSpec>;

/** The preview inputs of deploy (which deploys a preview) and teardown (which removes one). */
export const previewInput = {
  description: 'Pull request number: deploys its preview environment `pr-<number>` (the same as `environment: pr-<number>`).',
};

export const previewRouterEndpointInput = {
  description:
    'For previews: the directory of the nginx server blocks the suite manages, one per preview, which nginx.conf includes inside `http` (`include /etc/nginx/sidhe-previews/*.conf;`), e.g. `file:///etc/nginx/sidhe-previews/?conf=/etc/nginx/nginx.conf`. nginx listens on `previews.listen`.',
};
