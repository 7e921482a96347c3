package plugin

import goplugin "github.com/hashicorp/go-plugin"

// PluginName is the name the host dispenses: client.Dispense(PluginName)
// returns a Provider.
const PluginName = "provider"

// Handshake is the go-plugin handshake shared by the host and every
// provider plugin. The cookie is not a secret: it only stops a user from
// running a plugin binary by hand, which then explains itself and exits.
var Handshake = goplugin.HandshakeConfig{
	ProtocolVersion:  ProtocolVersion,
	MagicCookieKey:   "PAYHOST_PLUGIN_MAGIC_COOKIE",
	MagicCookieValue: "88341e8607f9e6043ef70e2e1813c8f65c928d9d26c91a51d633cadddd0f18d3",
}

// HostPluginSets returns the plugin sets the host passes as
// goplugin.ClientConfig.VersionedPlugins, keyed by protocol version; each
// dispenses PluginName as a Provider.
func HostPluginSets() map[int]goplugin.PluginSet {
	return pluginSets(&GRPCProviderPlugin{})
}

// pluginSets returns the versioned plugin sets around glue p: the host's
// (empty glue) and the plugin's (glue serving a provider) are the same.
func pluginSets(p *GRPCProviderPlugin) map[int]goplugin.PluginSet {
	return map[int]goplugin.PluginSet{ProtocolVersion: {PluginName: p}}
}
