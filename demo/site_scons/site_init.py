import footprint.scons; footprint.scons.install()
