// The Synapse config generator lives in bin/local-synapse/ (the dev command uses it too); tests import it from here.
export * from "../../bin/local-synapse/config.ts";
