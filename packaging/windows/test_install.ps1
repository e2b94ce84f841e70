# Install the built installer silently for the current user, check what it did, uninstall it
# silently (first keeping the user's data, then with /REMOVEDATA) and check that everything it
# put there is gone. The release workflow runs this on a Windows runner after build.ps1.
#
#   pwsh -File packaging\windows\test_install.ps1 [-Setup dist\Retouch-<v>-windows-x64-setup.exe]
[CmdletBinding()]
param(
    [string]$Setup = "",
    [string]$Python = ".venv\Scripts\python.exe"
)
$ErrorActionPreference = "Stop"
$Root = Resolve-Path (Join-Path $PSScriptRoot "..\..")
Set-Location $Root
$Version = & $Python -c "import sys; sys.path.insert(0, 'packaging'); import pyi_common; print(pyi_common.version())"
if (-not $Setup) { $Setup = "dist\Retouch-$Version-windows-x64-setup.exe" }
$Setup = (Resolve-Path $Setup).Path

$AppDir = Join-Path $env:LOCALAPPDATA "Programs\Retouch"
$Data = Join-Path $env:APPDATA "Retouch\Retouch"
$UninstallKey = "HKCU:\Software\Microsoft\Windows\CurrentVersion\Uninstall\{6873609C-4040-4A2D-83A5-EA1D549FA667}_is1"

function Invoke-Checked([string]$File, [string[]]$Arguments) {
    $p = Start-Process -FilePath $File -ArgumentList $Arguments -Wait -PassThru
    if ($p.ExitCode) { throw "$File $Arguments exited with $($p.ExitCode)" }
}
function User-Path { [Environment]::GetEnvironmentVariable("Path", "User") }
function Install {
    Write-Host "==> silent install (current user, with the PATH option)"
    Invoke-Checked $Setup @("/VERYSILENT", "/SUPPRESSMSGBOXES", "/NORESTART", "/CURRENTUSER", "/TASKS=addtopath", "/LOG=install.log")
    foreach ($f in @("Retouch.exe", "retouch-cli.exe", "unins000.exe", "_internal")) {
        if (-not (Test-Path (Join-Path $AppDir $f))) { throw "not installed: $AppDir\$f" }
    }
    $out = & (Join-Path $AppDir "retouch-cli.exe") --version
    if ($out -ne "retouch $Version") { throw "installed retouch-cli --version printed '$out'" }
    $shown = (Get-ItemProperty $UninstallKey).DisplayVersion
    & $Python packaging\check_version.py --installed-version $shown
    if ($LASTEXITCODE) { throw "the installed version is $shown" }
    if ((User-Path) -notlike "*$AppDir*") { throw "retouch-cli's folder was not added to the user PATH" }
    # A user's data, to see what uninstalling keeps and removes.
    New-Item -ItemType Directory -Force -Path (Join-Path $Data "history") | Out-Null
    Set-Content -Path (Join-Path $Data "settings.json") -Value "{}"
}
function Uninstall([string[]]$Extra) {
    Write-Host "==> silent uninstall $Extra"
    Invoke-Checked (Join-Path $AppDir "unins000.exe") (@("/VERYSILENT", "/SUPPRESSMSGBOXES", "/NORESTART") + $Extra)
    # The uninstaller finishes in a copy of itself: wait until the folder is gone.
    for ($i = 0; $i -lt 120 -and (Test-Path $AppDir); $i++) { Start-Sleep -Milliseconds 500 }
    if (Test-Path $AppDir) { throw "$AppDir is still there after uninstalling" }
    if (Test-Path $UninstallKey) { throw "the uninstall entry is still registered" }
    if ((User-Path) -like "*$AppDir*") { throw "the PATH entry was not removed" }
}

Install
Uninstall @()
if (-not (Test-Path (Join-Path $Data "settings.json"))) { throw "a plain uninstall removed the user's data" }
Write-Host "    kept the user's data in $Data"

Install
Uninstall @("/REMOVEDATA")
if (Test-Path $Data) { throw "/REMOVEDATA left $Data" }
Write-Host "==> install and uninstall passed"
