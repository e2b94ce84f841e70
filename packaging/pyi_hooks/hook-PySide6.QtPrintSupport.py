# Overrides PyInstaller's stock hook: same collection, minus the Qt plugins and translations
# that pyi_common.QtFilter drops, so their dependencies are never pulled in either.
from pyi_common import filter_hook_result
from PyInstaller.utils.hooks.qt import add_qt6_dependencies

hiddenimports, binaries, datas = add_qt6_dependencies(__file__)
binaries, datas = filter_hook_result(binaries, datas)
