// Package config reads payhost's HCL configuration: the payhost block, the
// store, provider instances, and merchants with their API keys, webhook and
// ordered routes. It follows Terraform's internal/configs: one hcl.BodySchema
// per block type, one decodeXBlock function per block, structs that keep
// their declaration and label ranges, and partial results returned together
// with every diagnostic, so that a user sees all problems at once.
//
// Entry points:
//
//   - Load (or Loader.Load) reads a file or every *.hcl and *.hcl.json file
//     of a directory, decodes and checks it, and, given a SchemaSource,
//     decodes each provider block against its plugin's schema and checks
//     routes against the plugins' capabilities.
//   - Config.DecodeProviders does that second step later, for callers that
//     must read the configuration before the plugins can be started (the
//     plugin directory is itself configured).
//   - Config.WriteDiagnostics prints diagnostics like Terraform, with source
//     snippets in which sensitive values are masked.
//
// Provider blocks are kept as hcl.Body until the plugin's schema is known,
// as Terraform does. Sensitive values (merchant API keys, webhook secrets,
// the postgres DSN, provider attributes the plugin marks Sensitive) are held
// as plugin.Secret or inside plugin.Config, which never print their values,
// and are masked in every snippet (see mask.go).
//
// The package also owns the language of a route's when expression: the
// payment variable (PaymentType) and its functions (WhenContext). Evaluating
// routes for a payment belongs to the routing package; launching plugins to
// read their schemas belongs to pluginhost.
package config
