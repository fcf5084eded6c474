"""Stand-in for the SCons.Util package (only its stats module)."""
