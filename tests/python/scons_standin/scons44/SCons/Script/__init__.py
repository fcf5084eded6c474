"""Stand-in for SCons.Script: main() is Main.main, as in SCons."""
from SCons.Script import Main

main = Main.main
