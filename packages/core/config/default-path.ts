/** Where an action looks for its configuration file; apart from the loader so naming it loads no parser. */
export const DEFAULT_CONFIG_PATH = '.sidhe/devops.yaml';
