// SeamLogs: see docs
