"""The frame the screens live in: main window, menus, status bar, sign-in and the idle lock."""
