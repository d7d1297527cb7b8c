package io.teledrop.it.browser;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** On a {@link Browser} parameter: {@link BrowserExtension} hands over a Chromium with JavaScript switched off. */
@Target(ElementType.PARAMETER)
@Retention(RetentionPolicy.RUNTIME)
@interface WithoutJavaScript {
}
