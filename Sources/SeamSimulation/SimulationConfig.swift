/// Gameplay constants. Distances in tiles, speeds in tiles per second, times in ticks.
public struct SimulationConfig: Sendable, Equatable {
    public var tickRate: Int = 20
    public var maxSpeed: Double = 6
    public var acceleration: Double = 40
    public var playerRadius: Double = 0.3
    public var pickupRadius: Double = 0.6
    /// Radius of the circle a shot must cross to hit a player.
    public var hitRadius: Double = 0.45
    public var viewRadius: Double = 16
    public var shotRange: Double = 24
    public var shotCooldownTicks: UInt64 = 5
    /// How many ticks before its due time a shot may come: inputs reach the zone with jitter, so two fire
    /// commands sent 5 ticks apart may be applied 4 apart. Due times advance by the cooldown from the
    /// previous due time, so the long-run rate stays one shot per cooldown (virtual scheduling, as in GCRA).
    public var shotSlackTicks: UInt64 = 2
    public var shotDamage: Int = 25
    public var maxHealth: Int = 100
    public var respawnTicks: UInt64 = 60
    /// Judge shots against the world as the shooter saw it (rewound targets); off: against the present.
    public var lagCompensation = true
    public var rewind = RewindPolicy()

    public init() {}

    public var tickSeconds: Double { 1 / Double(tickRate) }
}
