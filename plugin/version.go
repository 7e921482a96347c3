package plugin

// ProtocolVersion is the plugin protocol version this SDK serves: the
// major version of the payhost.provider.v1 gRPC service.
const ProtocolVersion = 1

// SupportedProtocolVersions are the protocol versions the host can speak,
// newest first. A plugin announcing any other version is refused with an
// error naming both sides' versions.
var SupportedProtocolVersions = []int{ProtocolVersion}
