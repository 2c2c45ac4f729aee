#!/usr/bin/env python3
"""Counts the datagrams of a Seam run by direction and content, from a packet capture on loopback.

    tcpdump -i lo -s 128 -w /tmp/run.pcap udp & sleep 2; kill %1
    tools/enet-census.py /tmp/run.pcap --run OUT_DIR

OUT_DIR is a `seam scenario --out` directory (or any directory of `zone-*.log` files): each zone log's first
line says where the zone listens, which tells zone ports from client ports. Each datagram is parsed as ENet
1.3 lays it out (protocol header, then commands; docs/PROTOCOL.md section 1) and counted under its direction
(zone->client, client->zone, zone->zone) and the set of ENet commands in it; the Seam messages carried are
counted by their type byte (docs/PROTOCOL.md, "Message types"), and each datagram once more under the set of
Seam messages it carries (as far as the snap length shows them). Rates are per second of the capture.
Capture with a larger buffer (`tcpdump -B 131072 ...`) when tcpdump reports packets dropped by the kernel.
Python's standard library only; a snap length of 128 bytes is enough (only headers and type bytes are read).
"""
import argparse
import collections
import glob
import re
import struct
import sys

COMMANDS = {1: "ack", 2: "connect", 3: "verify-connect", 4: "disconnect", 5: "ping", 6: "reliable",
            7: "unreliable", 8: "fragment", 9: "unsequenced", 10: "bandwidth-limit", 11: "throttle-configure",
            12: "unreliable-fragment"}
FIXED_SIZE = {1: 8, 2: 48, 3: 44, 4: 8, 5: 4, 10: 12, 11: 16}
# Command -> (offset of the u16 data length, size of the command before its data).
CARRIES_DATA = {6: (4, 6), 7: (6, 8), 9: (6, 8), 8: (6, 24), 12: (6, 24)}
MESSAGES = {0x01: "Hello", 0x02: "Input", 0x03: "Leave", 0x04: "Attach", 0x05: "Observe", 0x81: "Welcome",
            0x82: "Refuse", 0x83: "Snapshot", 0x84: "Events", 0x85: "Standby", 0x86: "StandbyDrop",
            0x87: "Owner", 0x88: "Redirect", 0x89: "Attached", 0x8A: "Record", 0x8B: "Delta",
            0x8C: "ZoneStatus", 0x8D: "Ghost"}


def commands(payload):
    """The ENet commands of one datagram: (name, first data byte or None) in order; stops at a cut."""
    if len(payload) < 2:
        return []
    offset = 4 if struct.unpack(">H", payload[:2])[0] & 0x8000 else 2
    found = []
    while offset + 4 <= len(payload):
        number = payload[offset] & 0x0F
        if number in FIXED_SIZE:
            found.append((COMMANDS[number], None))
            offset += FIXED_SIZE[number]
        elif number in CARRIES_DATA:
            at, size = CARRIES_DATA[number]
            if offset + size > len(payload):
                found.append((COMMANDS[number], None))
                break
            length = struct.unpack(">H", payload[offset + at:offset + at + 2])[0]
            first = payload[offset + size] if offset + size < len(payload) and number not in (8, 12) else None
            found.append((COMMANDS[number], first))
            offset += size + length
        else:
            found.append(("unknown-%d" % number, None))
            break
    return found


def zone_ports(run):
    ports = set()
    for path in glob.glob(run + "/zone-*.log"):
        with open(path, errors="replace") as log:
            match = re.search(r"listening on [^ ]+:(\d+)", log.readline())
        if match:
            ports.add(int(match.group(1)))
    return ports


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("capture", help="pcap file (tcpdump -w) of UDP on loopback")
    parser.add_argument("--run", required=True, help="directory of the run's zone-*.log files")
    args = parser.parse_args()
    zones = zone_ports(args.run)
    if not zones:
        sys.exit("no 'listening on HOST:PORT' line in %s/zone-*.log" % args.run)
    with open(args.capture, "rb") as f:
        header = f.read(24)
        if len(header) < 24 or struct.unpack("<I", header[:4])[0] != 0xA1B2C3D4:
            sys.exit("%s: not a microsecond pcap file" % args.capture)
        link = struct.unpack("<I", header[20:24])[0]
        skip = {1: 14, 113: 16, 0: 4}.get(link)
        if skip is None:
            sys.exit("%s: link type %d not handled" % (args.capture, link))
        counts = collections.Counter()
        messages = collections.Counter()
        carried = collections.Counter()
        first = last = None
        total = 0
        while True:
            record = f.read(16)
            if len(record) < 16:
                break
            seconds, micros, kept, _ = struct.unpack("<IIII", record)
            frame = f.read(kept)
            stamp = seconds + micros / 1e6
            first = stamp if first is None else first
            last = stamp
            ip = frame[skip:]
            if len(ip) < 28 or ip[9] != 17:
                continue
            ihl = (ip[0] & 15) * 4
            source, destination = struct.unpack(">HH", ip[ihl:ihl + 4])
            direction = ("zone->zone" if source in zones and destination in zones else
                         "zone->client" if source in zones else
                         "client->zone" if destination in zones else "other")
            found = commands(ip[ihl + 8:])
            total += 1
            counts[(direction, "+".join(sorted({name for name, _ in found})))] += 1
            names = set()
            for name, byte in found:
                if byte is not None:
                    messages[(direction, MESSAGES.get(byte, "0x%02X" % byte), name)] += 1
                    names.add(MESSAGES.get(byte, "0x%02X" % byte))
            if names:
                carried[(direction, "+".join(sorted(names)))] += 1
    span = max(1e-9, (last or 0) - (first or 0))
    print("%d datagrams in %.2f s: %.0f/s (zone ports: %d)" % (total, span, total / span, len(zones)))
    print("\ndatagrams/s  direction      ENet commands in the datagram")
    for (direction, kinds), n in counts.most_common():
        print("%11.0f  %-13s  %s" % (n / span, direction, kinds))
    print("\nmessages/s   direction      Seam message (ENet command)")
    for (direction, name, command), n in messages.most_common():
        print("%11.0f  %-13s  %s (%s)" % (n / span, direction, name, command))
    print("\ndatagrams/s  direction      Seam messages in the datagram")
    for (direction, names), n in carried.most_common():
        print("%11.0f  %-13s  %s" % (n / span, direction, names))


if __name__ == "__main__":
    main()
