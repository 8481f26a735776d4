"""PyInstaller runtime hook of the frozen build: point the bundled fontconfig at the build's
own fonts.conf where the system has none, so a bare system with only a font package shows
text (the fontconfig-config package brings /etc/fonts/fonts.conf, and a bare system may lack
it)."""

import os
import sys

if "FONTCONFIG_FILE" not in os.environ and not os.path.exists("/etc/fonts/fonts.conf"):
    os.environ["FONTCONFIG_FILE"] = os.path.join(sys._MEIPASS, "frozen-fonts.conf")
