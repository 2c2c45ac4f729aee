import ArgumentParser

@main
struct Seam: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Seam: a sharded game server over ENet, its bot swarm and tools.",
        discussion: """
            Run one zone of a map or a whole cluster (optionally behind a simulated network), drive bots against it,
            or watch both in the demo:
              seam zone --map Maps/duel.map --zone west --journal out/journal
              seam bots --map Maps/duel.map --zone west --count 500 --duration 30
              seam cluster --map Maps/quad.map --netsim "latency=75ms,jitter=10ms,loss=1%"
              seam demo
            """,
        subcommands: [Zone.self, Cluster.self, Bots.self, NetSim.self, Demo.self, Scenario.self, Logs.self, Referee.self, BenchTick.self]
    )
}
