// main.swift: the trunkbox command line (run, sip check, version).
import ArgumentParser

TrunkboxCommand.main()
