"""The core that wires smista together: settings, inputs, and the command line."""
