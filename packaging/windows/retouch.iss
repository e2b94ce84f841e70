; Inno Setup 6.3+ script: Windows installer for Retouch, built from the PyInstaller onedir.
;
;   iscc /DAppVersion=0.2.0rc1 /DAppVersionNumeric=0.2.0.30001 packaging\windows\retouch.iss
;   (packaging\windows\build.ps1 builds the onedir first and passes both for you)
;
; Defines: AppVersion        (required, the retouch.__version__ string),
;          AppVersionNumeric (required, its four-number form from
;                             pyi_common.windows_numeric_version: Windows rejects letters),
;          SourceDir  (default ..\..\dist\retouch, relative to this file),
;          OutputDir  (default ..\..\dist),
;          SignTool   (optional: the name of a sign tool given to ISCC with /S<name>=...; the
;                      installer and its uninstaller are then Authenticode-signed).
;
; Silent use: Retouch-<v>-windows-x64-setup.exe /VERYSILENT /SUPPRESSMSGBOXES /CURRENTUSER
;             [/TASKS="addtopath"]; unins000.exe /VERYSILENT [/REMOVEDATA] (also removes
;             settings, history, edited images in the data folder and the stored API key).
;
; Installs per user by default (no admin prompt; {autopf} = %LOCALAPPDATA%\Programs); the user
; can choose "all users" in the first page, which needs elevation. File associations only add
; Retouch to "Open with" for PNG/JPEG/WebP (OpenWithProgids): the default app is not changed.

#if Ver < EncodeVer(6, 3, 0)
  ; "x64compatible" (ArchitecturesAllowed below) and per-user {autopf} need Inno Setup 6.3.
  #error Inno Setup 6.3 or newer is needed
#endif
#ifndef AppVersion
  #error Pass the version on the command line: iscc /DAppVersion=x.y.z retouch.iss
#endif
#ifndef AppVersionNumeric
  #error Pass the numeric version too: iscc /DAppVersionNumeric=x.y.z.n retouch.iss
#endif
#ifndef SourceDir
  #define SourceDir "..\..\dist\retouch"
#endif
#ifndef OutputDir
  #define OutputDir "..\..\dist"
#endif

#define AppName "Retouch"
#define AppExe "Retouch.exe"
#define CliExe "retouch-cli.exe"
#define ProgId "Retouch.Image.1"

[Setup]
; Never change AppId: it is how upgrades and the uninstaller find an existing install.
AppId={{6873609C-4040-4A2D-83A5-EA1D549FA667}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=Retouch developers
VersionInfoVersion={#AppVersionNumeric}
VersionInfoProductVersion={#AppVersionNumeric}
VersionInfoTextVersion={#AppVersion}
VersionInfoProductTextVersion={#AppVersion}
VersionInfoProductName={#AppName}
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputDir={#OutputDir}
OutputBaseFilename=Retouch-{#AppVersion}-windows-x64-setup
SetupIconFile=..\..\resources\icons\retouch.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName} {#AppVersion}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ChangesAssociations=yes
; The PATH option below: running programs are told the environment changed.
ChangesEnvironment=yes
CloseApplications=yes
#ifdef SignTool
SignTool={#SignTool}
SignedUninstaller=yes
#endif

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked
; The command line (retouch-cli edit ..., retouch-cli --self-test) from any terminal.
Name: "addtopath"; Description: "Add retouch-cli to the PATH (command line use)"; GroupDescription: "Command line:"

[Files]
; The whole onedir: Retouch.exe (windowed), retouch-cli.exe (console) and _internal\.
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[InstallDelete]
; An upgrade replaces the bundled runtime wholesale, so no stale module survives.
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"; Comment: "AI image edits with a painted mask"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Registry]
; HKA = HKCU for a per-user install, HKLM for an all-users install.
; The ProgID that "Open with Retouch" launches.
Root: HKA; Subkey: "Software\Classes\{#ProgId}"; ValueType: string; ValueName: ""; ValueData: "Image (Retouch)"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\{#ProgId}"; ValueType: string; ValueName: "FriendlyTypeName"; ValueData: "Image (Retouch)"
Root: HKA; Subkey: "Software\Classes\{#ProgId}\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\{#AppExe},0"
Root: HKA; Subkey: "Software\Classes\{#ProgId}\shell\open"; ValueType: string; ValueName: "FriendlyAppName"; ValueData: "{#AppName}"
Root: HKA; Subkey: "Software\Classes\{#ProgId}\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#AppExe}"" ""%1"""
; Offer it for each image type without taking over the default handler.
Root: HKA; Subkey: "Software\Classes\.png\OpenWithProgids"; ValueType: string; ValueName: "{#ProgId}"; ValueData: ""; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\.jpg\OpenWithProgids"; ValueType: string; ValueName: "{#ProgId}"; ValueData: ""; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\.jpeg\OpenWithProgids"; ValueType: string; ValueName: "{#ProgId}"; ValueData: ""; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\.webp\OpenWithProgids"; ValueType: string; ValueName: "{#ProgId}"; ValueData: ""; Flags: uninsdeletevalue
; The application's own entry (name and supported types in the "Open with" dialog).
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExe}"; ValueType: string; ValueName: "FriendlyAppName"; ValueData: "{#AppName}"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExe}\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\{#AppExe},0"
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExe}\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#AppExe}"" ""%1"""
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExe}\SupportedTypes"; ValueType: string; ValueName: ".png"; ValueData: ""
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExe}\SupportedTypes"; ValueType: string; ValueName: ".jpg"; ValueData: ""
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExe}\SupportedTypes"; ValueType: string; ValueName: ".jpeg"; ValueData: ""
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExe}\SupportedTypes"; ValueType: string; ValueName: ".webp"; ValueData: ""

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[Code]
// Settings, history and edited images live in %APPDATA%\Retouch\Retouch; the API key in
// Windows Credential Manager. Uninstalling keeps both unless the user says otherwise (asked
// when interactive, /REMOVEDATA when silent).
var
  RemoveData: Boolean;

function EnvRoot: Integer;
begin
  if IsAdminInstallMode then Result := HKEY_LOCAL_MACHINE else Result := HKEY_CURRENT_USER;
end;

function EnvKey: String;
begin
  if IsAdminInstallMode then
    Result := 'SYSTEM\CurrentControlSet\Control\Session Manager\Environment'
  else
    Result := 'Environment';
end;

function SamePath(const A, B: String): Boolean;
begin
  Result := CompareText(RemoveBackslashUnlessRoot(Trim(A)), RemoveBackslashUnlessRoot(Trim(B))) = 0;
end;

// The PATH entries other than Dir, in their order.
function PathWithout(const Paths, Dir: String; var Found: Boolean): String;
var
  Rest, Part: String;
  P: Integer;
begin
  Result := '';
  Found := False;
  Rest := Paths;
  while Rest <> '' do begin
    P := Pos(';', Rest);
    if P = 0 then begin
      Part := Rest;
      Rest := '';
    end else begin
      Part := Copy(Rest, 1, P - 1);
      Delete(Rest, 1, P);
    end;
    if SamePath(Part, Dir) then
      Found := True
    else if Part <> '' then begin
      if Result <> '' then Result := Result + ';';
      Result := Result + Part;
    end;
  end;
end;

procedure AddToPath(const Dir: String);
var
  Paths, Others: String;
  Found: Boolean;
begin
  if not RegQueryStringValue(EnvRoot, EnvKey, 'Path', Paths) then Paths := '';
  Others := PathWithout(Paths, Dir, Found);
  if Found then Exit;
  if (Paths <> '') and (Copy(Paths, Length(Paths), 1) <> ';') then Paths := Paths + ';';
  RegWriteExpandStringValue(EnvRoot, EnvKey, 'Path', Paths + Dir);
end;

procedure RemoveFromPath(const Dir: String);
var
  Paths, Kept: String;
  Found: Boolean;
begin
  if not RegQueryStringValue(EnvRoot, EnvKey, 'Path', Paths) then Exit;
  Kept := PathWithout(Paths, Dir, Found);
  if Found then RegWriteExpandStringValue(EnvRoot, EnvKey, 'Path', Kept);
end;

procedure CurStepChanged(CurStep: TSetupStep);
begin
  if (CurStep = ssPostInstall) and WizardIsTaskSelected('addtopath') then
    AddToPath(ExpandConstant('{app}'));
end;

function InitializeUninstall: Boolean;
var
  I: Integer;
begin
  RemoveData := False;
  for I := 1 to ParamCount do
    if CompareText(ParamStr(I), '/REMOVEDATA') = 0 then RemoveData := True;
  if not RemoveData and not UninstallSilent then
    RemoveData := MsgBox('Also remove your Retouch settings, history and the images in its data folder, ' +
      'and the API key stored in Windows Credential Manager?' + #13#10#13#10 +
      'Choose No to keep them for a later reinstall.', mbConfirmation, MB_YESNO or MB_DEFBUTTON2) = IDYES;
  Result := True;
end;

procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
var
  ResultCode: Integer;
begin
  if CurUninstallStep = usUninstall then begin
    RemoveFromPath(ExpandConstant('{app}'));
    // The app removes its own key: it knows the keyring entry (retouch --forget-key).
    if RemoveData then
      Exec(ExpandConstant('{app}\{#CliExe}'), '--forget-key', '', SW_HIDE, ewWaitUntilTerminated, ResultCode);
  end;
  if (CurUninstallStep = usPostUninstall) and RemoveData then begin
    DelTree(ExpandConstant('{userappdata}\Retouch\Retouch'), True, True, True);
    RemoveDir(ExpandConstant('{userappdata}\Retouch'));
  end;
end;
