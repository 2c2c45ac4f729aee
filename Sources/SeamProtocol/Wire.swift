/// Constants of the Seam wire protocol. See docs/PROTOCOL.md.
public enum Wire {
    /// The newest protocol version: its clients get ghost snapshots (docs/PROTOCOL.md "Ghost snapshot").
    public static let version: UInt16 = 6
    /// The previous version, still served: its clients get full and delta snapshots against acknowledged
    /// frames. Everything else is the same in both.
    public static let deltaSnapshotVersion: UInt16 = 5
    /// The versions a zone accepts in Hello, Attach and Observe; others are refused with `wrongVersion`.
    public static let supportedVersions: ClosedRange<UInt16> = 5...6
    /// The version of the zone ↔ zone link protocol, in the link Hello; a zone refuses a link of any other.
    /// 7: Accept carries a flags byte (Owner sent over the client's standby).
    public static let linkVersion: UInt16 = 7
    /// "SEAM" as the four first bytes of a Hello.
    public static let magic: [UInt8] = [0x53, 0x45, 0x41, 0x4D]
    /// ENet channel for reliable, ordered control messages (Hello, Welcome, Refuse, Events, Leave).
    public static let controlChannel: UInt8 = 0
    /// ENet connect data of a client's connection opened for a standby Attach ("STBY" as little-endian bytes),
    /// so that a zone short of peer slots can drop it at once (docs/PROTOCOL.md "Peer slots"). Other client
    /// connections connect with 0.
    public static let standbyConnectData: UInt32 = 0x5942_5453
    /// ENet channel for unreliable, sequenced state (Input, Snapshot).
    public static let stateChannel: UInt8 = 1
    public static let channelCount = 2
    /// The largest message a client may send; anything longer is refused as oversized.
    public static let maximumClientMessage = 256
    /// Snapshots are built to fit one datagram at ENet's default MTU of 1400 (no fragmentation).
    public static let maximumSnapshotBytes = 1200
    /// Inputs repeated in every Input message, newest first, so a lost datagram costs no input.
    public static let maximumInputsPerMessage = 8
    /// A move longer than this between two consecutive ticks (tiles) is a jump — a respawn — which zones'
    /// position history and clients alike show at once, never interpolated (a walk at full speed is 0.3).
    public static let jumpTilesPerTick = 1.5
    /// Longest player name, in UTF-8 bytes.
    public static let maximumNameBytes = 32
}

/// The first byte of every message.
public enum MessageType: UInt8, Sendable {
    case hello = 0x01
    case input = 0x02
    case leave = 0x03
    case attach = 0x04
    case observe = 0x05
    case welcome = 0x81
    case refuse = 0x82
    case snapshot = 0x83
    case events = 0x84
    case standby = 0x85
    case standbyDrop = 0x86
    case owner = 0x87
    case redirect = 0x88
    case attached = 0x89
    case record = 0x8A
    case delta = 0x8B
    case zoneStatus = 0x8C
    case ghost = 0x8D
}

/// Why a zone refused or dropped a peer: sent in a Refuse message before the disconnect.
public enum RefuseCode: UInt8, Sendable, CaseIterable {
    /// The Hello's version differs from `Wire.version`.
    case wrongVersion = 1
    /// A message could not be decoded.
    case malformed = 2
    /// A message was longer than `Wire.maximumClientMessage`.
    case oversized = 3
    /// The zone is at capacity.
    case full = 4
    /// A message arrived that is not valid in the session's state (e.g. Input before Hello).
    case unexpected = 5
    /// The zone is shutting down.
    case shuttingDown = 6
    /// A message arrived on the wrong channel.
    case wrongChannel = 7
    /// An Attach carried a token that is forged, expired, replayed, or for another zone.
    case badToken = 8
}
